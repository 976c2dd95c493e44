using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Partitioning;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Planning.Duplicates;
using Empower.Sync.Pipeline.Reporting;
using Empower.Sync.Pipeline.Runtime;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Empower.Sync.Pipeline.Planning;

/// <summary>
/// Plan: open the table at its version, check the mapping against Dataverse, choose between reading the whole table
/// and just its changes since the watermark, split what to read into partitions, and find the keys that more than one
/// partition holds (so the last row of each key wins whatever the timing). A full read that compares with the published
/// state and applies deletes also finds the published keys the table no longer holds: they get a partition of their own.
/// Before it reads the published state it adopts what killed runs staged and never committed (one run per job at a
/// time makes every other run's staging final), so rows Dataverse confirmed are not sent again. First of all it gets a
/// token for every principal: those that cannot get one are taken out and logged, and with none the run fails.
/// </summary>
public sealed partial class PlanActivity(JobRuntime runtime, ILogger<PlanActivity> logger) : TaskActivity<SyncRunInput, SyncPlan>
{
    // A stop cancels Plan at once: it has written nothing yet.
    public override Task<SyncPlan> RunAsync(TaskActivityContext context, SyncRunInput input) => ExecuteAsync(input, runtime.Stop.Requested);

    public async Task<SyncPlan> ExecuteAsync(SyncRunInput input, CancellationToken cancellationToken)
    {
        var job = input.Job;
        using var span = RunTelemetry.StartStage("plan", job, input.RunId);
        // A principal that cannot get a token is taken out (and logged) now, not found by the first batch it is given.
        await runtime.Dataverse.CheckPrincipalsAsync(cancellationToken);

        var snapshot = await runtime.OpenTableAsync(job, null, cancellationToken);
        var mapping = await runtime.PlanMappingAsync(job, snapshot, cancellationToken);
        var source = runtime.Source(job);
        var state = runtime.State(job);
        var target = PublishTarget.Of(job, runtime.Dataverse.ServiceRoot);
        var (read, changes) = await ReadPlanner.PlanAsync(job, snapshot, source, await Watermark.LatestAsync(state, cancellationToken), target, input.Full,
            cancellationToken, input.Resend);
        ReadChosen(logger, job.Name, read.Mode, read.Reason);
        var table = changes is null ? snapshot : JobRuntime.ChangesOf(snapshot, changes);
        var partitions = await WorkPartitioner.PlanAsync(source, table.Files,
            new PartitioningOptions { MaxRows = runtime.Options.PartitionMaxRows }, cancellationToken);
        var stateTable = runtime.StateTable(job);
        if (job.ChangeDetection == ChangeDetectionMode.LakeState
            && await stateTable.AdoptOrphansAsync(input.RunId, (run, ct) => state.ExistsAsync(RunReport.PathOf(run) + ".json", ct),
                cancellationToken) is > 0 and var adopted)
        {
            OrphansAdopted(logger, job.Name, adopted);
        }

        // A run (or replay) is over when it wrote its report; the failed rows of one that is not are retried by this run.
        var unfinished = await new FailedRowsTable(runtime.FailedRows(job), runtime.Time).RemoveUnfinishedAsync(
            input.RunId,
            async (run, ct) => await state.ExistsAsync(RunReport.PathOf(run) + ".json", ct) || await state.ExistsAsync($"runs/{run}/replay.json", ct),
            cancellationToken);
        if (unfinished.Count > 0)
        {
            UnfinishedFailuresRemoved(logger, job.Name, string.Join(", ", unfinished));
        }

        // A new environment or table holds none of what the state says was published: compare with nothing.
        long? stateVersion = job.ChangeDetection == ChangeDetectionMode.LakeState && !read.NewTarget ? await stateTable.VersionAsync(cancellationToken) : null;
        bool findDeletes = read.Mode == ReadMode.Full && stateVersion is not null && job.Deletes != DeleteHandling.Ignore;
        if (job.ChangeDetection == ChangeDetectionMode.LakeState && table.Files.Count > 0)
        {
            // Partitions in this process share the loaded state; loading it now overlaps with the key scan below.
            _ = runtime.PublishedStateAsync(job, stateVersion, cancellationToken);
        }

        var (duplicates, keys) = await DuplicateKeyScan.ScanAsync(source, table, runtime.ReadOptions(job), mapping, partitions,
            read.Mode == ReadMode.Changes, findDeletes, cancellationToken);
        await duplicates.SaveAsync(state, input.RunId, cancellationToken);
        if (keys is not null)
        {
            var published = await runtime.PublishedStateAsync(job, stateVersion, cancellationToken);
            var gone = (await stateTable.GoneAsync(published, keys, cancellationToken)).Where(e => e.KeyValues is not null).ToList();
            if (gone.Count > 0)
            {
                // One more partition, without lake files: the published keys the table no longer holds.
                await StateDeletes.SaveAsync(state, input.RunId, gone, cancellationToken);
                partitions = [.. partitions, new WorkPartition(partitions.Count, [])];
            }
        }

        return new SyncPlan(snapshot.Version, read, partitions, partitions.Sum(p => p.Rows), runtime.Options.Parallelism, stateVersion, target);
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "Job {Job}: adopted {Files} published-state files staged by runs that never finished; their rows are not sent again")]
    private static partial void OrphansAdopted(ILogger logger, string job, int files);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning,
        Message = "Job {Job}: removed the failed rows recorded by runs that never finished ({Runs}); this run retries those rows and records what still fails")]
    private static partial void UnfinishedFailuresRemoved(ILogger logger, string job, string runs);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Job {Job} reads {Mode}: {Reason}")]
    private static partial void ReadChosen(ILogger logger, string job, ReadMode mode, string reason);
}
