using Empower.Sync.Dataverse.Principals;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Planning.Duplicates;
using Empower.Sync.Pipeline.Planning;
using Empower.Sync.Pipeline.Principals;
using Empower.Sync.Pipeline.Publishing.Changes;
using Empower.Sync.Pipeline.Reporting;
using Empower.Sync.Pipeline.Runtime;
using Microsoft.DurableTask;

namespace Empower.Sync.Pipeline.Publishing;

/// <summary>
/// Prepare + Publish for one partition, window by window (<see cref="PartitionPreparer"/> feeding
/// <see cref="PartitionPublisher"/>), so its memory is bounded by <c>WindowRows</c>, not its row count. Rows Dataverse
/// rejects fail with stage <c>publish</c>; rows that could not be sent come back as deferred. When the run is stopping
/// the rest counts as not sent. The result carries each principal's requests, 429s and retries for this try, and the
/// principals the pool took out.
/// </summary>
public sealed class PublishActivity(JobRuntime runtime) : TaskActivity<PublishInput, PublishResult>
{
    public override Task<PublishResult> RunAsync(TaskActivityContext context, PublishInput input) => ExecuteAsync(input, runtime.Stop.Abandoned);

    /// <summary>One try; <paramref name="cancellationToken"/> cancels requests in flight (a stop's grace is over, or the host shuts down).</summary>
    public async Task<PublishResult> ExecuteAsync(PublishInput input, CancellationToken cancellationToken)
    {
        var job = input.Run.Job;
        using var span = RunTelemetry.StartStage("publish", job, input.Run.RunId, input.Partition.Index);
        PrincipalHints.Apply(runtime.Dataverse.Pool, input.Avoid);
        var table = await runtime.OpenReadAsync(job, input.Version, input.Read, cancellationToken);
        var plan = await runtime.PlanMappingAsync(job, table, cancellationToken);
        var state = job.ChangeDetection == ChangeDetectionMode.LakeState ? await runtime.PublishedStateAsync(job, input.StateVersion, cancellationToken) : null;
        var only = input.OnlyRows?.ToHashSet();
        using var usage = PrincipalUsageRecorder.Begin();

        long read, superseded;
        PublishTry outcome;
        int windowRows = runtime.Options.WindowRows;
        if (input.Partition.Items.Count == 0)
        {
            // The published keys the table no longer holds (see StateDeletes).
            var gone = await StateDeletes.LoadAsync(runtime.State(job), input.Run.RunId, plan, only, cancellationToken);
            outcome = Try(input, []);
            var rows = gone.Select(g => new PreparedRow(g.Record, g.Key, StateDeletes.Source, g.Line, Delete: true)).Chunk(windowRows);
            await new PartitionPublisher(runtime, input, plan, state, outcome).PublishAsync(rows.ToAsyncEnumerable(), cancellationToken);
            (read, superseded) = (gone.Count, 0);
        }
        else
        {
            var duplicates = only is null ? await RunDuplicates.LoadAsync(runtime.State(job), input.Run.RunId, cancellationToken) : RunDuplicates.None;
            var reader = new LakeTableReader(runtime.Source(job), table, runtime.ReadOptions(job), includeChangeColumns: input.Read.Mode == ReadMode.Changes);
            var preparer = new PartitionPreparer(plan, reader, duplicates, (stage, file, row, key, message, prepared) =>
                PartitionPublisher.Failure(runtime, input, file, row, key, stage, null, message, null, prepared), state);
            outcome = Try(input, preparer.Failed);
            await new PartitionPublisher(runtime, input, plan, state,
                outcome).PublishAsync(preparer.PrepareAsync(input.Partition, only, windowRows, cancellationToken), cancellationToken);
            outcome.Unchanged += preparer.Unchanged;
            // A later try's superseded rows were counted by the first.
            outcome.Superseded = input.Attempt == 0 ? preparer.Superseded : 0;
            (read, superseded) = (preparer.Read, preparer.Superseded);
        }

        bool stopped = runtime.Stop.IsRequested;
        if (stopped)
        {
            // Nobody will try these again in this run: the next run sends them.
            outcome.NotSent += outcome.Deferred.Count;
            outcome.Deferred.Clear();
        }

        string? failedFile = await FailedRowStaging.WriteAsync(runtime.State(job), input.Run.RunId, input.Partition.Index, input.Attempt, outcome.Failed,
            CancellationToken.None);
        var counts = new RowCounts(read, outcome.Written, outcome.Unchanged, outcome.Failed.Count, superseded, outcome.Deleted,
            outcome.DeletesIgnored, outcome.NotSent);
        outcome.ReportProgress();
        return new PublishResult(
            counts, outcome.Deferred, outcome.RetryAt, PrincipalHints.Resting(runtime.Dataverse.Pool, runtime.Time.GetUtcNow()), usage.Recorder.Usage(),
            [.. runtime.Dataverse.Pool.Principals.Where(p => p.Failure is not null).Select(p => new PrincipalProblem(p.ClientId,
                p.Failure!))], stopped, failedFile);
    }

    private PublishTry Try(PublishInput input, List<FailedRow> failed) =>
        new(input.Run.Job, failed, (row, result) => PartitionPublisher.Failure(runtime, input, row.File, row.Row, row.Key, FailureStage.Publish,
            result.Error?.Code, result.Error?.Message ?? "", result.Principal, row));
}
