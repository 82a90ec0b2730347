namespace Kenbun.LeadImport;

/// <summary>
/// Settings of the lead import, bound from the <c>LeadImport</c> configuration section and validated at start.
/// Every default is the one the API and its contract describe.
/// </summary>
public sealed class LeadImportOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "LeadImport";

    /// <summary>The most items a list page may hold (jobs, errors).</summary>
    public const int MaxPageSize = 100;

    /// <summary>The largest upload accepted, in bytes. Default 10 MiB (10,485,760 bytes); a file of exactly this size is accepted.</summary>
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The most columns a file may have. Default 500.</summary>
    public int MaxColumns { get; set; } = 500;

    /// <summary>The largest a single record may be, in bytes of UTF-8 text. Default 1 MiB.</summary>
    public int MaxRecordBytes { get; set; } = 1024 * 1024;

    /// <summary>The longest a mapped cell may be before its row fails with <c>Value too long</c>. Default 10,000 characters.</summary>
    public int MaxCellLength { get; set; } = 10_000;

    /// <summary>How many data records the preview returns as <c>sample_rows</c>. Default 5.</summary>
    public int SampleRowCount { get; set; } = 5;

    /// <summary>
    /// The longest an upload may take to arrive; a slower one is refused (HTTP 408) and nothing of it is kept. Default
    /// 5 minutes (10 MB at about 35 KB/s). An upload whose process died is swept after twice this.
    /// </summary>
    public TimeSpan MaxUploadDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an uploaded file stays available to start an import. Default one hour.</summary>
    public TimeSpan PreviewLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most unexpired previews one OU may hold; past it the preview answers 429. Default 50.</summary>
    public int MaxPreviewsPerOu { get; set; } = 50;

    /// <summary>
    /// How often the retention sweep runs: it deletes expired previews and the jobs that finished more than
    /// <see cref="JobRetention"/> ago, with their data. Default one minute.
    /// </summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most queued jobs one OU may have; past it a start answers 429. Default 20.</summary>
    public int MaxQueuedJobsPerOu { get; set; } = 20;

    /// <summary>Rows per batch: one identifier look-up each, and at most one commit. Default 1,000.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// The most batches one commit takes (group commit). When a commit ends, the batches read and looked up meanwhile are
    /// committed together, in one transaction with the job's checkpoint: a store whose commits cost more than reading
    /// a batch commits less often instead of holding the job up. 1 commits every batch on its own. Default 8.
    /// </summary>
    public int MaxBatchesPerCommit { get; set; } = 8;

    /// <summary>
    /// How many errors, and how many warnings, the job detail shows. Default 100. Every error is kept (they page, and the failed-rows
    /// export needs them); warnings past this many are counted but not kept, since nothing shows them.
    /// </summary>
    public int MaxDetailItems { get; set; } = 100;

    /// <summary>How many jobs one host runs at a time. Default 1.</summary>
    public int MaxConcurrentJobs { get; set; } = 1;

    /// <summary>How long a worker's claim on a job lasts unless renewed; a crashed worker's job is taken over after it. Default 1 minute.</summary>
    public TimeSpan JobLeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often an idle worker looks for jobs queued by other processes. Default 1 second.</summary>
    public TimeSpan WorkerPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many times a look-up or commit that the store refused for its batch's data
    /// (<see cref="Storage.StorageFailureKind.Batch"/>) is retried before the batch's rows fail with <c>Server error</c>.
    /// Outages (<see cref="Storage.StorageFailureKind.Unavailable"/>) are not counted: a job waits them out. Default 3.
    /// </summary>
    public int BatchRetryCount { get; set; } = 3;

    /// <summary>
    /// About how long the first retry of a failed storage call waits; each further one waits about twice as long, with
    /// jitter, up to <see cref="StorageRetryMaxDelay"/>. Default 200 ms.
    /// </summary>
    public TimeSpan StorageRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The longest wait between two retries of a storage call: while the store is unavailable a job retries at least
    /// this often, for as long as the outage lasts. Default 30 seconds.
    /// </summary>
    public TimeSpan StorageRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The region (ISO 3166 alpha-2, e.g. <c>US</c>) that phone numbers written without a country code belong to, so
    /// <c>(415) 555-0100</c> and <c>+1 415 555 0100</c> are one number; a start request may name another with
    /// <c>default_phone_region</c>. None by default: such numbers are then kept as their digits alone, and match only
    /// when written with the same digits. Setting it re-normalises the phones already stored, once (see docs/concepts.md).
    /// </summary>
    public string? DefaultPhoneRegion { get; set; }

    /// <summary>How long finished jobs, with their errors and failed rows (personal data), are kept. Default 30 days.</summary>
    public TimeSpan JobRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// The profile fields columns may be mapped to, compared case-insensitively. Defaults: <c>first_name</c>,
    /// <c>last_name</c>, <c>company</c>, <c>title</c>, <c>notes</c>, <c>website</c>, <c>city</c>, <c>country</c>.
    /// A list in configuration replaces the defaults rather than adding to them.
    /// </summary>
    public IList<string> ProfileFields { get; set; } =
        ["first_name", "last_name", "company", "title", "notes", "website", "city", "country"];

    /// <summary>
    /// Header names the preview suggests for a profile field, beyond the field's own name and the built-in synonyms in
    /// English, German, French, Spanish, Portuguese, Italian and Dutch: header name → one of <see cref="ProfileFields"/>
    /// (e.g. <c>"Kundenbetreuer" → "notes"</c>). Names compare ignoring case, accents, spaces, <c>_</c> and <c>-</c>;
    /// an entry here wins over a built-in synonym of the same name. Empty by default.
    /// </summary>
    public IDictionary<string, string> FieldSynonyms { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}
