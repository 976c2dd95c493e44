using Empower.Sync.Dataverse.Telemetry;
using Empower.Sync.Dataverse.Writing;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Mapping;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Duplicates;
using Empower.Sync.Pipeline.Preparing;
using Empower.Sync.Pipeline.Principals;
using Microsoft.DurableTask;

namespace Empower.Sync.Pipeline.Activities;

/// <summary>
/// Prepare + Publish for one partition: prepare its rows (<see cref="PartitionPreparer"/>), then write them over the
/// principal pool. Rows Dataverse rejects fail with stage <c>publish</c>; rows that could not be sent come back as
/// deferred. The result carries each principal's requests, 429s and retries for this try.
/// </summary>
public sealed class PublishActivity(JobRuntime runtime) : TaskActivity<PublishInput, PublishResult>
{
    public override async Task<PublishResult> RunAsync(TaskActivityContext context, PublishInput input)
    {
        var job = input.Run.Job;
        var cancellationToken = CancellationToken.None;
        PrincipalHints.Apply(runtime.Dataverse.Pool, input.Avoid);
        var table = await runtime.OpenTableAsync(job, input.Version, cancellationToken);
        var plan = await runtime.PlanMappingAsync(job, table, cancellationToken);
        var duplicates = input.OnlyRows is null ? await RunDuplicates.LoadAsync(runtime.State(job), input.Run.RunId, cancellationToken) : RunDuplicates.None;
        var reader = new LakeTableReader(runtime.Source(job), table, runtime.ReadOptions(job));
        var preparer = new PartitionPreparer(plan, reader, duplicates, (file, row, key, message, prepared) =>
            Failed(input, file, row, key, FailureStage.Prepare, null, message, null, prepared));
        var prepared = await preparer.PrepareAsync(input.Partition, input.OnlyRows?.ToHashSet(), cancellationToken);

        var failed = prepared.Failed;
        var deferred = new List<long>();
        DateTimeOffset? retryAt = null;
        long written = 0;
        using var usage = PrincipalUsageRecorder.Begin();
        if (input.GiveUp)
        {
            failed.AddRange(prepared.Rows.Select(r => Failed(input, r.File, r.Row, r.Key, FailureStage.Deferral, "0x80072322", "still throttled after the job's maxDeferrals deferrals", null, r)));
        }
        else
        {
            foreach (var group in prepared.Rows.GroupBy(r => plan.KeyAttributes is null || r.Record.Id is not null && job.Mode == JobMode.Upsert))
            {
                var request = new WriteRequest(plan.Target, job.Mode == JobMode.Insert ? WriteMode.Insert : WriteMode.Upsert, group.Key ? null : plan.KeyAttributes, job.BatchSize);
                var byId = group.ToDictionary(r => r.Record.RowId);
                var result = await runtime.Dataverse.Writer.WriteAsync(request, [.. group.Select(r => r.Record)], cancellationToken);
                foreach (var outcome in result.Records)
                {
                    var row = byId[outcome.RowId];
                    switch (outcome.Outcome)
                    {
                        case RecordOutcome.Written or RecordOutcome.AlreadyExisted:
                            written++;
                            break;
                        case RecordOutcome.Deferred:
                            deferred.Add(outcome.RowId);
                            retryAt = retryAt is null || outcome.RetryAt < retryAt ? outcome.RetryAt : retryAt;
                            break;
                        default:
                            failed.Add(Failed(input, row.File, row.Row, row.Key, FailureStage.Publish, outcome.Error?.Code, outcome.Error?.Message ?? "", outcome.Principal, row));
                            break;
                    }
                }
            }
        }

        await FailedRowStaging.WriteAsync(runtime.State(job), input.Run.RunId, input.Partition.Index, input.Attempt, failed, cancellationToken);
        return new PublishResult(
            prepared.Read, written, failed.Count, prepared.Superseded, deferred, retryAt,
            PrincipalHints.Resting(runtime.Dataverse.Pool, runtime.Time.GetUtcNow()), usage.Recorder.Usage());
    }

    private FailedRow Failed(PublishInput input, string file, long row, string? key, FailureStage stage, string? code, string message, string? principal, PreparedRow? prepared) =>
        new(input.Run.RunId, input.Run.Job.Name, input.Run.Job.Target.Table, file, row, key, stage, code, message, input.Attempt + 1, principal,
            runtime.Time.GetUtcNow(), prepared?.Record.Attributes.ToJsonString(ReadableJson.Options));
}
