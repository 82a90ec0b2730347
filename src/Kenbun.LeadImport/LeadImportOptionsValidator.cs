using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Preview;
using Microsoft.Extensions.Options;

namespace Kenbun.LeadImport;

/// <summary>Checks every setting at once, so a host with several bad values learns all of them on its first start.</summary>
internal sealed class LeadImportOptionsValidator : IValidateOptions<LeadImportOptions>
{
    /// <summary>The longest retry wait the resilience pipeline accepts.</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, LeadImportOptions options)
    {
        var failures = new List<string>();
        void Require(bool condition, string setting, object? value, string rule)
        {
            if (!condition)
            {
                failures.Add($"{LeadImportOptions.SectionName}:{setting} is {value ?? "null"}; it must be {rule}.");
            }
        }

        Require(options.MaxFileBytes > 0, nameof(options.MaxFileBytes), options.MaxFileBytes, "greater than 0");
        Require(options.MaxColumns > 0, nameof(options.MaxColumns), options.MaxColumns, "greater than 0");
        Require(options.MaxRecordBytes > 0, nameof(options.MaxRecordBytes), options.MaxRecordBytes, "greater than 0");
        Require(options.MaxCellLength > 0, nameof(options.MaxCellLength), options.MaxCellLength, "greater than 0");
        Require(options.SampleRowCount is >= 0 and <= 1000, nameof(options.SampleRowCount), options.SampleRowCount, "between 0 and 1000");
        Require(options.PreviewLifetime > TimeSpan.Zero, nameof(options.PreviewLifetime), options.PreviewLifetime, "a positive duration");
        Require(
            options.MaxUploadDuration > TimeSpan.Zero && options.MaxUploadDuration <= TimeSpan.FromDays(1),
            nameof(options.MaxUploadDuration), options.MaxUploadDuration, "a positive duration of at most one day");
        Require(options.MaxPreviewsPerOu > 0, nameof(options.MaxPreviewsPerOu), options.MaxPreviewsPerOu, "greater than 0");
        Require(options.RetentionSweepInterval > TimeSpan.Zero, nameof(options.RetentionSweepInterval), options.RetentionSweepInterval, "a positive duration");
        Require(options.MaxQueuedJobsPerOu > 0, nameof(options.MaxQueuedJobsPerOu), options.MaxQueuedJobsPerOu, "greater than 0");
        Require(options.BatchSize is > 0 and <= 100_000, nameof(options.BatchSize), options.BatchSize, "between 1 and 100000");
        Require(options.MaxBatchesPerCommit is > 0 and <= 100, nameof(options.MaxBatchesPerCommit), options.MaxBatchesPerCommit, "between 1 and 100");
        Require(options.MaxDetailItems >= 0, nameof(options.MaxDetailItems), options.MaxDetailItems, "0 or more");
        Require(options.MaxConcurrentJobs > 0, nameof(options.MaxConcurrentJobs), options.MaxConcurrentJobs, "greater than 0");
        Require(options.JobLeaseDuration >= TimeSpan.FromSeconds(1), nameof(options.JobLeaseDuration), options.JobLeaseDuration, "at least one second");
        Require(options.WorkerPollInterval > TimeSpan.Zero, nameof(options.WorkerPollInterval), options.WorkerPollInterval, "a positive duration");
        Require(options.BatchRetryCount >= 0, nameof(options.BatchRetryCount), options.BatchRetryCount, "0 or more");
        Require(
            options.StorageRetryMaxDelay > TimeSpan.Zero && options.StorageRetryMaxDelay <= MaxRetryDelay,
            nameof(options.StorageRetryMaxDelay), options.StorageRetryMaxDelay, "a positive duration of at most one day");
        Require(
            options.StorageRetryDelay >= TimeSpan.Zero && options.StorageRetryDelay <= options.StorageRetryMaxDelay && options.StorageRetryDelay <= MaxRetryDelay,
            nameof(options.StorageRetryDelay), options.StorageRetryDelay, $"zero or a positive duration no longer than {nameof(options.StorageRetryMaxDelay)}");
        Require(options.JobRetention > TimeSpan.Zero, nameof(options.JobRetention), options.JobRetention, "a positive duration");
        Require(
            options.DefaultPhoneRegion is null || PhoneRegions.TryParse(options.DefaultPhoneRegion, out _),
            nameof(options.DefaultPhoneRegion), options.DefaultPhoneRegion, "unset or an ISO 3166 alpha-2 region code such as US, GB or DE");
        ValidateProfileFields(options.ProfileFields, failures);
        ValidateFieldSynonyms(options.FieldSynonyms, options.ProfileFields, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateProfileFields(IList<string>? fields, List<string> failures)
    {
        const string setting = $"{LeadImportOptions.SectionName}:{nameof(LeadImportOptions.ProfileFields)}";
        if (fields is null || fields.Count == 0)
        {
            failures.Add($"{setting} is empty; it must name at least one profile field.");
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in fields)
        {
            if (string.IsNullOrWhiteSpace(field) || field.Trim() != field)
            {
                failures.Add($"{setting} holds \"{field}\"; a field name must be non-blank without surrounding spaces.");
            }
            else if (field.StartsWith('_'))
            {
                failures.Add($"{setting} holds \"{field}\"; names starting with '_' are reserved for aliases.");
            }
            else if (!seen.Add(field))
            {
                failures.Add($"{setting} holds \"{field}\" twice (names are compared ignoring case).");
            }
        }
    }

    private static void ValidateFieldSynonyms(IDictionary<string, string>? synonyms, IList<string>? fields, List<string> failures)
    {
        const string setting = $"{LeadImportOptions.SectionName}:{nameof(LeadImportOptions.FieldSynonyms)}";
        if (synonyms is null)
        {
            failures.Add($"{setting} is null; it must be a map of header names to profile fields (empty for none).");
            return;
        }

        var known = new HashSet<string>(fields ?? [], StringComparer.OrdinalIgnoreCase);
        var seen = new Dictionary<string, (string Name, string Field)>(StringComparer.Ordinal);
        foreach (var (name, field) in synonyms)
        {
            var compact = ColumnNames.Compact(name);
            if (compact.Length == 0)
            {
                failures.Add($"{setting} holds \"{name}\"; a header name must hold a letter or a digit.");
            }
            else if (field is null || !known.Contains(field))
            {
                failures.Add($"{setting}:{name} is {field ?? "null"}; it must be one of {nameof(LeadImportOptions.ProfileFields)}.");
            }
            else if (!seen.TryAdd(compact, (name, field)) && !string.Equals(seen[compact].Field, field, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{setting} maps \"{seen[compact].Name}\" to {seen[compact].Field} and \"{name}\" to {field}; "
                    + "the names are alike (case, accents, spaces, '_' and '-' are ignored).");
            }
        }
    }
}
