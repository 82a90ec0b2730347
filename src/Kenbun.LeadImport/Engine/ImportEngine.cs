using System.Diagnostics;
using System.Threading.Channels;
using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Health;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.Engine;

/// <summary>How a run of the engine ended.</summary>
internal enum EngineOutcome
{
    /// <summary>Every row was processed.</summary>
    Completed,

    /// <summary>A user cancelled the job; it stopped after a committed batch.</summary>
    Cancelled,

    /// <summary>The store holds progress this run did not make (its lease lapsed, or a lost answer): nothing more may be written.</summary>
    Stale,
}

/// <summary>A job cannot go on: its file is gone, or storage failed in a way retrying cannot fix (a defect).</summary>
internal sealed class JobFailedException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>Flags a worker shares with a running job.</summary>
internal sealed class JobRunControl
{
    private volatile bool _cancelRequested;

    public bool CancelRequested
    {
        get => _cancelRequested;
        set => _cancelRequested = value;
    }
}

/// <summary>
/// Applies a job's rows to leads through a pipeline of stages joined by bounded channels:
/// read and validate (CSV, CPU) → look up identifiers (one store call per batch) → decide and commit (lead changes and
/// checkpoint together in one store call). Reading and looking up the next batches overlap a commit; the batches that
/// are ready when a commit ends are decided and committed together (group commit, up to
/// <see cref="LeadImportOptions.MaxBatchesPerCommit"/>: a commit's cost grows far slower than its rows, since a database
/// writes about the same index pages for one batch as for several), so a store whose commits cost more than a batch's reading commits less often
/// instead of holding the pipeline up. Batches are recycled, so memory stays within a few batches whatever the file's
/// size. A resumed job skips the rows before its checkpoint. The outcome equals applying the rows one by one in file
/// order. Storage calls go through <see cref="StorageRetries"/>: an outage stalls the job, a refused batch fails its
/// rows, a defect fails the job.
/// </summary>
internal sealed partial class ImportEngine
{
    /// <summary>Batches beyond the ones a commit takes, so reading and looking up go on while it runs.</summary>
    private const int BatchesAhead = 4;

    /// <summary>How many conflicts over only identifiers it had met already a batch may meet before its job fails.</summary>
    private const int MaxFruitlessConflicts = 10;

    private readonly LeadImportStorage _storage;
    private readonly StorageHealth _health;
    private readonly StorageRetries _retries;
    private readonly LeadImportOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly LeadImportMetrics _metrics;
    private readonly ILogger _logger;

    public ImportEngine(LeadImportStorage storage, StorageHealth health, LeadImportOptions options, TimeProvider timeProvider, LeadImportMetrics metrics, ILogger logger)
    {
        _storage = storage;
        _health = health;
        _options = options;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        _retries = new StorageRetries(options, health, timeProvider, logger);
    }

    public async Task<EngineOutcome> RunAsync(JobLease lease, JobRunControl control, CancellationToken cancellationToken)
    {
        var job = lease.Job;
        using var stall = new JobStallTracker(_storage.Jobs, lease, _timeProvider, _health, _logger);
        var format = await _retries.ExecuteAsync("open the job's file", batchCall: false, stall, job, OpenFileAsync, cancellationToken).ConfigureAwait(false)
            ?? throw new JobFailedException("The job's file is no longer stored.");
        var plan = new ColumnPlan(job.Headers, job.Settings);
        var run = new Run(this, job, lease.LeaseHolder, format, plan, control, stall);
        return await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How to read the job's file, or <see langword="null"/> when the file is gone.</summary>
    /// <remarks>
    /// A real import owns its file from its creation on; a dry run reads the preview's file, which the sweep keeps while
    /// the dry run is queued or running, even past its expiry (CONTRACT §3). Both read it by the format the job kept;
    /// jobs stored before the format was kept find it with the file.
    /// </remarks>
    private async ValueTask<CsvFileFormat?> OpenFileAsync(ImportJob job, CancellationToken cancellationToken) =>
        job.Format ?? (await _storage.Files.FindAsync(job.Ou, job.FileId, cancellationToken).ConfigureAwait(false))?.Format;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId}: {Rows} rows through batch {Sequence} {Outcome}")]
    private partial void LogBatch(string jobId, long sequence, int rows, string outcome);

    /// <summary>One run of one job: the state its stages share.</summary>
    private sealed class Run(ImportEngine engine, ImportJob job, string leaseHolder, CsvFileFormat format, ColumnPlan plan, JobRunControl control, JobStallTracker stall)
    {
        private readonly int _batchesInFlight = engine._options.MaxBatchesPerCommit + BatchesAhead;
        private readonly Channel<RowBatch> _free = Channel.CreateUnbounded<RowBatch>();
        private readonly Channel<RowBatch> _read = Channel.CreateBounded<RowBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        private readonly Channel<RowBatch> _resolved = Channel.CreateUnbounded<RowBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        private readonly OwnershipOverlay _overlay = job.Settings.DryRun
            ? new OwnershipOverlay(expected: (job.TotalRows - job.Counters.Processed) * (1 + plan.Aliases.Length))
            : new OwnershipOverlay();
        private readonly BatchDecision _decision = new();
        private JobCounters _counters = job.Counters;
        private long _warningCount = job.WarningCount;
        private long _committedThrough;

        public async Task<EngineOutcome> ExecuteAsync(CancellationToken cancellationToken)
        {
            // The free batches bound the others: at most this many are read, looked up or waiting at once.
            for (var i = 0; i < _batchesInFlight; i++)
            {
                _free.Writer.TryWrite(new RowBatch(engine._options.BatchSize, plan));
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var reading = Task.Run(() => ReadAsync(stop.Token), stop.Token);
            var lookingUp = Task.Run(() => LookUpAsync(stop.Token), stop.Token);
            try
            {
                var decider = new BatchDecider(plan, job.Settings, _overlay, format.Delimiter);
                var group = new List<RowBatch>(engine._options.MaxBatchesPerCommit);
                while (await _resolved.Reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
                {
                    // A stopping host ends the run at a commit boundary: what was committed is the checkpoint.
                    stop.Token.ThrowIfCancellationRequested();
                    while (group.Count < engine._options.MaxBatchesPerCommit && _resolved.Reader.TryRead(out var batch))
                    {
                        group.Add(batch);
                    }

                    var outcome = await ApplyAsync(group, decider, stop.Token).ConfigureAwait(false);
                    foreach (var batch in group)
                    {
                        batch.Reset();
                        _free.Writer.TryWrite(batch);
                    }

                    group.Clear();
                    if (outcome is not null)
                    {
                        return outcome.Value;
                    }
                }

                return EngineOutcome.Completed;
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(reading, lookingUp).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }

        /// <summary>Stage 1: reads records after the checkpoint and validates them into batches.</summary>
        private async Task ReadAsync(CancellationToken cancellationToken)
        {
            try
            {
                var content = await engine._retries.ExecuteAsync(
                        "open the job's file", batchCall: false, stall, job, (j, ct) => engine._storage.Files.OpenContentAsync(j.Ou, j.FileId, ct), cancellationToken)
                        .ConfigureAwait(false)
                    ?? throw new JobFailedException("The job's file is no longer stored.");
                var resuming = new ResumingFileStream(content, ct => engine._storage.Files.OpenContentAsync(job.Ou, job.FileId, ct), engine._retries, stall);
                using var reader = await CsvFileReader.OpenAsync(resuming, format, CsvReadLimits.From(engine._options), cancellationToken).ConfigureAwait(false);
                var preparer = new RowPreparer(plan, engine._options.MaxCellLength, keepsFieldValues: !job.Settings.DryRun);
                var skip = job.Counters.Processed;
                var sequence = 0L;
                RowBatch? batch = null;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (reader.RowNumber <= skip)
                    {
                        continue;
                    }

                    if (batch is null)
                    {
                        batch = await _free.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                        batch.Sequence = ++sequence;
                    }

                    batch.KeepRawRecord(batch.Count, reader.RawRecord);
                    preparer.Prepare(reader, batch);
                    if (batch.Count == batch.Capacity)
                    {
                        await _read.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                        batch = null;
                    }
                }

                if (batch is not null)
                {
                    await _read.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                }

                _read.Writer.Complete();
            }
            catch (Exception e)
            {
                _read.Writer.Complete(e is JobFailedException or OperationCanceledException ? e : new JobFailedException("The job's file could not be read.", e));
            }
        }

        /// <summary>Stage 2: looks up every identifier of a batch in one store call.</summary>
        private async Task LookUpAsync(CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var batch in _read.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    await LookUpAsync(batch, cancellationToken).ConfigureAwait(false);
                    await _resolved.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                }

                _resolved.Writer.Complete();
            }
            catch (Exception e)
            {
                _resolved.Writer.Complete(e);
            }
        }

        private async Task LookUpAsync(RowBatch batch, CancellationToken cancellationToken)
        {
            batch.LookupWatermark = Volatile.Read(ref _committedThrough);
            try
            {
                await engine._retries.ExecuteAsync(
                    "look up identifiers",
                    batchCall: true,
                    stall,
                    batch,
                    async (b, ct) =>
                    {
                        b.Owners.Clear();
                        await engine._storage.Leads.LookupAsync(job.Ou, b.Identifiers, b.Owners, ct).ConfigureAwait(false);
                        return true;
                    },
                    cancellationToken).ConfigureAwait(false);
                batch.LookupFailed = false;
            }
            catch (StorageBatchRefusedException)
            {
                batch.LookupFailed = true;
            }
        }

        /// <summary>
        /// Stage 3: decides a group of batches and commits it with the job's checkpoint; returns an outcome when the run
        /// must stop. A group the store refuses is committed again one batch at a time, so only the refused batch's rows fail.
        /// </summary>
        private async Task<EngineOutcome?> ApplyAsync(IReadOnlyList<RowBatch> group, BatchDecider decider, CancellationToken cancellationToken)
        {
            using var activity = LeadImportTelemetry.ActivitySource.StartActivity("leadimport.batch");
            activity?.SetTag("leadimport.job_id", job.JobId);
            activity?.SetTag("leadimport.batch.rows", group.Sum(b => b.Count));
            var started = engine._timeProvider.GetTimestamp();

            // Look-ups run in order, so the group's first batch has the oldest look-up: what it sees, all later ones see.
            _overlay.Forget(group[0].LookupWatermark);
            _overlay.Begin(group[^1].Sequence);
            var serverError = false;
            Decide(group, decider, serverError);
            HashSet<IdentifierKey>? takenByOthers = null;
            var fruitlessConflicts = 0;
            while (true)
            {
                BatchCommitResult result;
                try
                {
                    result = await CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (StorageBatchRefusedException e)
                {
                    _overlay.Undo();
                    if (group.Count > 1)
                    {
                        return await ApplyOneByOneAsync(group, decider, cancellationToken).ConfigureAwait(false);
                    }

                    if (serverError || group[0].LookupFailed)
                    {
                        // Even the batch with every row failed, which writes no lead, was refused: progress cannot be recorded.
                        throw new JobFailedException("The store refused to record a batch's progress, even with its rows failed.", e);
                    }

                    serverError = true;
                    Decide(group, decider, serverError);
                    continue;
                }

                switch (result.Status)
                {
                    case BatchCommitStatus.Committed:
                        _overlay.End();
                        Committed(group, started);
                        return result.CancelRequested || control.CancelRequested ? EngineOutcome.Cancelled : null;
                    case BatchCommitStatus.Stale:
                        _overlay.Undo();
                        return EngineOutcome.Stale;
                    case BatchCommitStatus.Conflict when !serverError && (TakenAnew(result.Conflicts) || ++fruitlessConflicts < MaxFruitlessConflicts):
                        // Another job gave one of these identifiers to a lead since the look-up: look again, decide again.
                        // Ownership only grows (erasure aside), so while each conflict names identifiers taken anew, the
                        // group is waiting out an import of the same people that commits first, however long it runs:
                        // it goes on. Only conflicts over identifiers it met before count towards giving up.
                        _overlay.Undo();
                        foreach (var batch in group)
                        {
                            await LookUpAsync(batch, cancellationToken).ConfigureAwait(false);
                        }

                        Decide(group, decider, serverError);
                        break;
                    default:
                        throw new JobFailedException("A batch kept conflicting with other imports.");
                }
            }

            bool TakenAnew(IReadOnlyList<IdentifierKey> conflicts)
            {
                takenByOthers ??= [];
                var anew = false;
                foreach (var identifier in conflicts)
                {
                    anew |= takenByOthers.Add(identifier);
                }

                return anew;
            }
        }

        private async Task<EngineOutcome?> ApplyOneByOneAsync(IReadOnlyList<RowBatch> group, BatchDecider decider, CancellationToken cancellationToken)
        {
            foreach (var batch in group)
            {
                if (await ApplyAsync([batch], decider, cancellationToken).ConfigureAwait(false) is { } outcome)
                {
                    return outcome;
                }
            }

            return null;
        }

        /// <summary>Decides the group's batches in order into one decision; a batch whose look-up failed, or every batch after a refused commit, fails its rows.</summary>
        private void Decide(IReadOnlyList<RowBatch> group, BatchDecider decider, bool serverError)
        {
            _decision.Reset(_counters);
            foreach (var batch in group)
            {
                if (serverError || batch.LookupFailed)
                {
                    decider.FailWithServerError(batch, _decision);
                }
                else
                {
                    decider.Decide(batch, _decision);
                }
            }
        }

        private ValueTask<BatchCommitResult> CommitAsync(CancellationToken cancellationToken)
        {
            var checkpoint = new JobCheckpoint
            {
                LeaseHolder = leaseHolder,
                PreviousProcessedRows = _counters.Processed,
                Counters = _decision.Counters,
                Errors = [.. _decision.Errors],
                Warnings = WarningsToKeep(),
                WarningCount = _warningCount + _decision.Warnings.Count,
            };
            IReadOnlyCollection<LeadChange> changes = job.Settings.DryRun ? [] : _decision.Changes.Values;
            // A commit once begun runs to its end even when the host is stopping (CONTRACT §6: a stopping host finishes
            // its running batch); only the waits between retries give way to the stop. A commit whose answer was lost is
            // harmless to send again: the store reports an already applied checkpoint as committed.
            return engine._retries.ExecuteAsync(
                "commit batch",
                batchCall: true,
                stall,
                (changes, checkpoint),
                (work, _) => engine._storage.CommitBatchAsync(job.Ou, job.JobId, work.changes, work.checkpoint, CancellationToken.None),
                cancellationToken);
        }

        /// <summary>
        /// The batch's warnings that still fall among the job's first <see cref="LeadImportOptions.MaxDetailItems"/>:
        /// the detail shows no more and nothing pages through warnings, so the rest are only counted.
        /// </summary>
        private List<RowWarning> WarningsToKeep()
        {
            var room = (int)Math.Clamp(engine._options.MaxDetailItems - _warningCount, 0, _decision.Warnings.Count);
            return _decision.Warnings.GetRange(0, room);
        }

        private void Committed(IReadOnlyList<RowBatch> group, long started)
        {
            var last = group[^1];
            var before = _counters;
            _counters = _decision.Counters;
            _warningCount += _decision.Warnings.Count;
            if (!job.Settings.DryRun)
            {
                Volatile.Write(ref _committedThrough, last.Sequence);
            }

            engine._metrics.RecordRows("created", _counters.Created - before.Created);
            engine._metrics.RecordRows("updated", _counters.Updated - before.Updated);
            engine._metrics.RecordRows("failed", _counters.Failed - before.Failed);
            engine._metrics.RecordRows("skipped", _counters.Skipped - before.Skipped);
            engine._metrics.RecordBatch(engine._timeProvider.GetElapsedTime(started));
            engine.LogBatch(job.JobId, last.Sequence, group.Sum(b => b.Count), "committed");
        }
    }
}
