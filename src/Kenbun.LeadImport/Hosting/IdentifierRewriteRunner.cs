using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kenbun.LeadImport.Hosting;

/// <summary>
/// Runs the data migrations of stored identifiers (<see cref="IdentifierRewrite"/>) that ship with the library and
/// those the host registered, in version order, while the host starts and before the job worker takes a job, so imports
/// look identifiers up by the rules they were stored under. Each runs in batches, resumes after a restart, and never
/// runs twice; every identifier two leads claimed afterwards is logged.
/// </summary>
internal sealed partial class IdentifierRewriteRunner(
    LeadImportStorage storage,
    IEnumerable<IdentifierRewrite> hostRewrites,
    IOptions<LeadImportOptions> options,
    ILogger<IdentifierRewriteRunner> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        PhoneRegions.TryParse(options.Value.DefaultPhoneRegion, out var phoneRegion);
        var rewrites = IdentifierRewrites.For(phoneRegion).Concat(hostRewrites).ToList();
        // A storage remembers a version as done: a second rewrite with that version would be skipped without a word.
        if (rewrites.GroupBy(r => r.Version).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException(
                $"Identifier rewrites {string.Join(" and ", twice.Select(r => $"\"{r.Description}\""))} share version {twice.Key}; each rewrite needs a version of its own.");
        }

        foreach (var rewrite in rewrites.OrderBy(r => r.Version))
        {
            await RunAsync(rewrite, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal async Task RunAsync(IdentifierRewrite rewrite, CancellationToken cancellationToken)
    {
        var (rewritten, conflicts) = (0L, 0L);
        IdentifierRewriteProgress progress;
        do
        {
            progress = await storage.RewriteIdentifiersAsync(rewrite, options.Value.BatchSize, cancellationToken).ConfigureAwait(false);
            rewritten += progress.Rewritten;
            conflicts += progress.Conflicts.Count;
            foreach (var conflict in progress.Conflicts)
            {
                LogConflict(rewrite.Version, conflict.Ou, conflict.Identifier.Kind, conflict.KeptBy, conflict.LostBy);
            }
        }
        while (!progress.Done);

        if (rewritten > 0)
        {
            LogRewritten(rewrite.Version, rewrite.Description, rewritten, conflicts);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Identifier rewrite {Version}: a {Kind} identifier of OU {Ou} now belongs to two leads; the older, {KeptBy}, keeps it and {LostBy} loses it")]
    private partial void LogConflict(int version, string ou, Identifiers.IdentifierKind kind, string keptBy, string lostBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Identifier rewrite {Version} ({Description}): {Rewritten} identifiers rewritten, {Conflicts} claimed twice and kept by the older lead")]
    private partial void LogRewritten(int version, string description, long rewritten, long conflicts);
}
