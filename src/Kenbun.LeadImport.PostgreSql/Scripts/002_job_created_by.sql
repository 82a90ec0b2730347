-- Kenbun.LeadImport.PostgreSql, schema version 2: who started each job.
-- A host migrates at start by default. To apply it yourself instead (MigrateSchemaAtStart = false), after 001:
--   psql -v ON_ERROR_STOP=1 -v schema=lead_import -f 002_job_created_by.sql
-- Additive, so code of version 1 keeps running on it during a rolling upgrade (compatible_with 1): it neither reads
-- nor writes the column, and the jobs it creates have none. The column is written once, when a job is created; it is
-- not part of the job's JSON, which every save writes whole again. Adding a nullable column rewrites no rows.
BEGIN;

ALTER TABLE :"schema".jobs ADD COLUMN created_by text;

INSERT INTO :"schema".schema_versions (version, compatible_with, description) VALUES (2, 1, 'who started each job');

COMMIT;
