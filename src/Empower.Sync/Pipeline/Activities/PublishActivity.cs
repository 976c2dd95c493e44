using Empower.Sync.ChangeDetection;
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
using Empower.Sync.Pipeline.Reading;
using Empower.Sync.Telemetry;
using Microsoft.DurableTask;

namespace Empower.Sync.Pipeline.Activities;

/// <summary>
/// Prepare + Publish for one partition: prepare its rows (<see cref="PartitionPreparer"/>), skip the ones change
/// detection finds unchanged, write the rest over the principal pool and apply lake deletes as the job says. Rows
/// Dataverse rejects fail with stage <c>publish</c>; rows that could not be sent come back as deferred. What Dataverse
/// accepted is staged for the published-state table (committed by Finalize). The result carries each principal's
/// requests, 429s and retries for this try.
/// </summary>
public sealed class PublishActivity(JobRuntime runtime) : TaskActivity<PublishInput, PublishResult>
{
    public override async Task<PublishResult> RunAsync(TaskActivityContext context, PublishInput input)
    {
        var job = input.Run.Job;
        var cancellationToken = CancellationToken.None;
        using var span = RunTelemetry.StartStage("publish", job, input.Run.RunId, input.Partition.Index);
        PrincipalHints.Apply(runtime.Dataverse.Pool, input.Avoid);
        var table = await runtime.OpenReadAsync(job, input.Version, input.Read, cancellationToken);
        var plan = await runtime.PlanMappingAsync(job, table, cancellationToken);
        var duplicates = input.OnlyRows is null ? await RunDuplicates.LoadAsync(runtime.State(job), input.Run.RunId, cancellationToken) : RunDuplicates.None;
        var reader = new LakeTableReader(runtime.Source(job), table, runtime.ReadOptions(job), includeChangeColumns: input.Read.Mode == ReadMode.Changes);
        var state = job.ChangeDetection == ChangeDetectionMode.LakeState ? await runtime.PublishedStateAsync(job, input.StateVersion, cancellationToken) : null;
        var preparer = new PartitionPreparer(plan, reader, duplicates, (file, row, key, message, prepared) =>
            Failed(input, file, row, key, FailureStage.Prepare, null, message, null, prepared), state);
        var prepared = input.Partition.Items.Count == 0
            ? await StateDeletes.LoadAsync(runtime.State(job), input.Run.RunId, plan, input.OnlyRows?.ToHashSet(), cancellationToken)
            : await preparer.PrepareAsync(input.Partition, input.OnlyRows?.ToHashSet(), cancellationToken);

        using var usage = PrincipalUsageRecorder.Begin();
        var outcome = new TryOutcome(prepared.Failed) { Unchanged = prepared.Unchanged };
        var upserts = prepared.Rows.Where(r => !r.Delete).ToList();
        var deletes = prepared.Rows.Where(r => r.Delete).ToList();
        if (input.GiveUp)
        {
            outcome.Failed.AddRange(prepared.Rows.Select(r => Failed(input, r.File, r.Row, r.Key, FailureStage.Deferral, "0x80072322", "still throttled after the job's maxDeferrals deferrals", null, r)));
        }
        else
        {
            await PublishAsync(input, plan, state, upserts, outcome, cancellationToken);
            await RemoveAsync(input, plan, deletes, outcome, cancellationToken);
        }

        await FailedRowStaging.WriteAsync(runtime.State(job), input.Run.RunId, input.Partition.Index, input.Attempt, outcome.Failed, cancellationToken);
        await runtime.StateTable(job).StageAsync(input.Run.RunId, input.Partition.Index, input.Attempt, outcome.State, cancellationToken);
        var rows = new RowCounts(prepared.Read, outcome.Written, outcome.Unchanged, outcome.Failed.Count, prepared.Superseded, outcome.Deleted, outcome.DeletesIgnored);
        return new PublishResult(rows, outcome.Deferred, outcome.RetryAt, PrincipalHints.Resting(runtime.Dataverse.Pool, runtime.Time.GetUtcNow()), usage.Recorder.Usage());
    }

    /// <summary>Upserts or inserts the rows change detection finds changed; what Dataverse accepted goes to the published state.</summary>
    private async Task PublishAsync(PublishInput input, MappingPlan plan, PublishedState? state, List<PreparedRow> rows, TryOutcome outcome, CancellationToken cancellationToken)
    {
        var job = input.Run.Job;
        foreach (var group in rows.GroupBy(r => ById(plan, r)))
        {
            var request = new WriteRequest(plan.Target, job.Mode == JobMode.Insert ? WriteMode.Insert : WriteMode.Upsert, group.Key ? null : plan.KeyAttributes, job.BatchSize);
            var send = new List<(PreparedRow Row, RecordToWrite Record, UInt128 Hash)>();
            // Only lake-state compares hashes; the other modes need none.
            var candidates = group.Select(r => (Row: r, Hash: state is null ? default : r.Hash ?? RowHash.Of(r.Record))).ToList();
            if (job.ChangeDetection == ChangeDetectionMode.TargetCompare)
            {
                var compared = await new TargetComparer(plan, runtime.Dataverse.Reader).CompareAsync([.. candidates.Select(c => c.Row.Record)], group.Key, cancellationToken);
                for (int i = 0; i < candidates.Count; i++)
                {
                    // Dataverse could not be read: send whole rows rather than guess.
                    var record = compared is null ? candidates[i].Row.Record : compared[i];
                    if (record is null)
                    {
                        outcome.Unchanged++;
                    }
                    else
                    {
                        send.Add((candidates[i].Row, record, candidates[i].Hash));
                    }
                }
            }
            else
            {
                foreach (var (row, hash) in candidates)
                {
                    if (state?.IsUnchanged(row.Key, hash) == true)
                    {
                        outcome.Unchanged++;
                    }
                    else
                    {
                        send.Add((row, row.Record, hash));
                    }
                }
            }

            if (send.Count == 0)
            {
                continue;
            }

            var byId = send.ToDictionary(s => s.Row.Record.RowId);
            var result = await runtime.Dataverse.Writer.WriteAsync(request, [.. send.Select(s => s.Record)], cancellationToken);
            foreach (var record in result.Records)
            {
                var (row, _, hash) = byId[record.RowId];
                if (outcome.Record(input, record, row, this))
                {
                    outcome.Written++;
                    if (state is not null)
                    {
                        outcome.State.Add(new StateEntry(row.Key, RowHash.Hex(hash), RecordKey.ValuesOf(plan, row.Record)));
                    }
                }
            }
        }
    }

    /// <summary>Applies lake deletes per the job's <c>deletes</c>: ignored, deleted, or deactivated.</summary>
    private async Task RemoveAsync(PublishInput input, MappingPlan plan, List<PreparedRow> rows, TryOutcome outcome, CancellationToken cancellationToken)
    {
        var job = input.Run.Job;
        if (job.Deletes == DeleteHandling.Ignore)
        {
            outcome.DeletesIgnored += rows.Count;
            return;
        }

        foreach (var group in rows.GroupBy(r => ById(plan, r)))
        {
            var request = new WriteRequest(plan.Target, WriteMode.Upsert, group.Key ? null : plan.KeyAttributes, job.BatchSize);
            var byId = group.ToDictionary(r => r.Record.RowId);
            var mode = job.Deletes == DeleteHandling.Delete ? RemoveMode.Delete : RemoveMode.Deactivate;
            var result = await runtime.Dataverse.Remover.RemoveAsync(request, [.. group.Select(r => r.Record)], mode, cancellationToken);
            foreach (var record in result.Records)
            {
                var row = byId[record.RowId];
                if (outcome.Record(input, record, row, this))
                {
                    outcome.Deleted++;
                    outcome.State.Add(new StateEntry(row.Key, "", null, Deleted: true));
                }
            }
        }
    }

    /// <summary>Rows with a record id are matched by it (upsert) or created with it (insert); the others by the alternate key.</summary>
    private static bool ById(MappingPlan plan, PreparedRow row) =>
        plan.KeyAttributes is null || row.Record.Id is not null && plan.Job.Mode == JobMode.Upsert;

    private FailedRow Failed(PublishInput input, string file, long row, string? key, FailureStage stage, string? code, string message, string? principal, PreparedRow? prepared) =>
        new(input.Run.RunId, input.Run.Job.Name, input.Run.Job.Target.Table, file, row, key, stage, code, message, input.Attempt + 1, principal,
            runtime.Time.GetUtcNow(), prepared?.Record.Attributes.ToJsonString(ReadableJson.Options));

    /// <summary>What a publish try did so far.</summary>
    private sealed class TryOutcome(List<FailedRow> failed)
    {
        public List<FailedRow> Failed => failed;

        public List<StateEntry> State { get; } = [];

        public List<long> Deferred { get; } = [];

        public DateTimeOffset? RetryAt { get; private set; }

        public long Written { get; set; }

        public long Unchanged { get; set; }

        public long Deleted { get; set; }

        public long DeletesIgnored { get; set; }

        /// <summary>Records a deferral or failure; true when Dataverse accepted the row.</summary>
        public bool Record(PublishInput input, RecordResult result, PreparedRow row, PublishActivity activity)
        {
            switch (result.Outcome)
            {
                case RecordOutcome.Written or RecordOutcome.AlreadyExisted:
                    return true;
                case RecordOutcome.Deferred:
                    Deferred.Add(result.RowId);
                    RetryAt = RetryAt is null || result.RetryAt < RetryAt ? result.RetryAt : RetryAt;
                    return false;
                default:
                    failed.Add(activity.Failed(input, row.File, row.Row, row.Key, FailureStage.Publish, result.Error?.Code, result.Error?.Message ?? "", result.Principal, row));
                    return false;
            }
        }
    }
}
