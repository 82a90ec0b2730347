-- Kenbun.LeadImport.PostgreSql, schema version 1: files, jobs, leads and identifiers.
-- A host migrates at start by default. To apply it yourself instead (MigrateSchemaAtStart = false), in order:
--   psql -v ON_ERROR_STOP=1 -v schema=lead_import -f 001_initial.sql
-- Every table's primary key starts with the OU, so the schema can be distributed by OU (docs/scaling.md).
BEGIN;

CREATE SCHEMA IF NOT EXISTS :"schema";

-- One row per applied version. compatible_with: the oldest schema version whose code still runs on this one, so
-- instances of the previous release keep running while a new release migrates (docs/storage.md, rolling upgrades).
CREATE TABLE :"schema".schema_versions (
    version integer PRIMARY KEY,
    compatible_with integer NOT NULL,
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- Uploads: a row per file (info is null until the preview publishes it), its bytes in chunks.
CREATE TABLE :"schema".files (
    ou text NOT NULL,
    file_id text NOT NULL,
    expires_at timestamptz NOT NULL,
    job_id text,
    info jsonb,
    PRIMARY KEY (ou, file_id)
);
CREATE INDEX files_unclaimed_by_expiry ON :"schema".files (expires_at) WHERE job_id IS NULL;
CREATE INDEX files_of_jobs ON :"schema".files (ou, job_id) WHERE job_id IS NOT NULL;

CREATE TABLE :"schema".file_chunks (
    ou text NOT NULL,
    file_id text NOT NULL,
    seq integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (ou, file_id, seq),
    FOREIGN KEY (ou, file_id) REFERENCES :"schema".files (ou, file_id) ON DELETE CASCADE
);

-- Jobs: the columns queries need beside a JSON copy of the rest (the StoredJob shape).
CREATE TABLE :"schema".jobs (
    ou text NOT NULL,
    job_id text NOT NULL,
    file_id text NOT NULL,
    dry_run boolean NOT NULL,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    status smallint NOT NULL,
    created_at timestamptz NOT NULL,
    completed_at timestamptz,
    processed bigint NOT NULL DEFAULT 0,
    cancel_requested boolean NOT NULL DEFAULT false,
    lease_owner text,
    lease_expires_at timestamptz,
    job jsonb NOT NULL,
    PRIMARY KEY (ou, job_id)
);
CREATE UNIQUE INDEX jobs_real_import_of_file ON :"schema".jobs (ou, file_id) WHERE NOT dry_run;
CREATE INDEX jobs_by_ou_newest_first ON :"schema".jobs (ou, created_at, seq);
-- Queued (0) and in progress (1): the jobs a worker may take.
CREATE INDEX jobs_runnable ON :"schema".jobs (status, seq) WHERE status IN (0, 1);
CREATE INDEX jobs_of_ou_by_status ON :"schema".jobs (ou, status);
CREATE INDEX jobs_finished ON :"schema".jobs (completed_at) WHERE completed_at IS NOT NULL;

CREATE TABLE :"schema".job_errors (
    ou text NOT NULL,
    job_id text NOT NULL,
    row bigint NOT NULL,
    error text NOT NULL,
    value text NOT NULL,
    cells jsonb NOT NULL,
    detail text,
    PRIMARY KEY (ou, job_id, row),
    FOREIGN KEY (ou, job_id) REFERENCES :"schema".jobs (ou, job_id) ON DELETE CASCADE
);

CREATE TABLE :"schema".job_warnings (
    ou text NOT NULL,
    job_id text NOT NULL,
    seq bigint NOT NULL,
    row bigint NOT NULL,
    warning text NOT NULL,
    value text NOT NULL,
    PRIMARY KEY (ou, job_id, seq),
    FOREIGN KEY (ou, job_id) REFERENCES :"schema".jobs (ou, job_id) ON DELETE CASCADE
);

-- Workers take OUs in turn: the OU served longest ago goes first.
CREATE TABLE :"schema".ou_turns (
    ou text PRIMARY KEY,
    served bigint NOT NULL
);

-- Each OU's count of committed batches that changed leads: the lead feed's batch numbers. Never deleted.
CREATE TABLE :"schema".ous (
    ou text PRIMARY KEY,
    feed_batches bigint NOT NULL DEFAULT 0
);

CREATE TABLE :"schema".leads (
    ou text NOT NULL,
    lead_id text NOT NULL,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    fields jsonb NOT NULL,
    created_by text NOT NULL,
    updated_by text NOT NULL,
    feed_batch bigint NOT NULL,
    PRIMARY KEY (ou, lead_id)
);
CREATE INDEX leads_in_order ON :"schema".leads (ou, seq);
CREATE INDEX leads_in_feed_order ON :"schema".leads (ou, feed_batch, seq);

-- The database enforces that an identifier belongs to one lead per OU.
CREATE TABLE :"schema".identifiers (
    ou text NOT NULL,
    kind smallint NOT NULL,
    value text NOT NULL,
    lead_id text NOT NULL,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (ou, kind, value)
);
CREATE INDEX identifiers_of_lead ON :"schema".identifiers (ou, lead_id, seq);
CREATE INDEX identifiers_in_order ON :"schema".identifiers (seq);

-- Data migrations of stored identifiers (IdentifierRewrite): how far each version got.
CREATE TABLE :"schema".identifier_rewrites (
    version integer PRIMARY KEY,
    position bigint NOT NULL,
    done boolean NOT NULL
);

-- The ids of forgotten leads, nothing else about them (ForgetLeadAsync).
CREATE TABLE :"schema".forgotten_leads (
    ou text NOT NULL,
    lead_id text NOT NULL,
    PRIMARY KEY (ou, lead_id)
);

INSERT INTO :"schema".schema_versions (version, compatible_with, description) VALUES (1, 1, 'files, jobs, leads and identifiers');

COMMIT;
