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
/// detection finds unchanged, write the rest over the principal pool in windows of <c>WindowRows</c> and apply lake
/// deletes as the job says. Rows Dataverse rejects fail with stage <c>publish</c>; rows that could not be sent come back
/// as deferred. What Dataverse accepted is staged for the published-state table after each window (committed by
/// Finalize, or adopted by the next run if this one never finalises), so a run killed mid-partition re-sends at most the
/// windows in flight. When the run is stopping no new window starts and the rest counts as not sent. The result
/// carries each principal's requests, 429s and retries for this try, and the principals the pool took out.
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
        var duplicates = input.OnlyRows is null ? await RunDuplicates.LoadAsync(runtime.State(job), input.Run.RunId, cancellationToken) : RunDuplicates.None;
        var reader = new LakeTableReader(runtime.Source(job), table, runtime.ReadOptions(job), includeChangeColumns: input.Read.Mode == ReadMode.Changes);
        var state = job.ChangeDetection == ChangeDetectionMode.LakeState ? await runtime.PublishedStateAsync(job, input.StateVersion, cancellationToken) : null;
        var preparer = new PartitionPreparer(plan, reader, duplicates, (stage, file, row, key, message, prepared) =>
            Failed(input, file, row, key, stage, null, message, null, prepared), state);
        var prepared = input.Partition.Items.Count == 0
            ? await StateDeletes.LoadAsync(runtime.State(job), input.Run.RunId, plan, input.OnlyRows?.ToHashSet(), cancellationToken)
            : await preparer.PrepareAsync(input.Partition, input.OnlyRows?.ToHashSet(), cancellationToken);

        using var usage = PrincipalUsageRecorder.Begin();
        // A later try's superseded rows were counted by the first.
        var outcome = new TryOutcome(prepared.Failed) { Unchanged = prepared.Unchanged, Superseded = input.Attempt == 0 ? prepared.Superseded : 0 };
        var upserts = prepared.Rows.Where(r => !r.Delete).ToList();
        var deletes = prepared.Rows.Where(r => r.Delete).ToList();
        if (input.GiveUp)
        {
            await GiveUpAsync(input, plan, state, prepared.Rows, outcome, cancellationToken);
        }
        else
        {
            await PublishAsync(input, plan, state, upserts, outcome, cancellationToken);
            await RemoveAsync(input, plan, deletes, outcome, cancellationToken);
        }

        bool stopped = runtime.Stop.IsRequested;
        if (stopped)
        {
            // Nobody will try these again in this run: the next run sends them.
            outcome.NotSent += outcome.Deferred.Count;
            outcome.Deferred.Clear();
        }

        // Staged even when requests were cancelled: what Dataverse confirmed must not be sent again.
        string? failedFile = await FailedRowStaging.WriteAsync(runtime.State(job), input.Run.RunId, input.Partition.Index, input.Attempt, outcome.Failed, CancellationToken.None);
        var rows = new RowCounts(prepared.Read, outcome.Written, outcome.Unchanged, outcome.Failed.Count, prepared.Superseded, outcome.Deleted, outcome.DeletesIgnored, outcome.NotSent);
        outcome.ReportProgress(job);
        return new PublishResult(
            rows, outcome.Deferred, outcome.RetryAt, PrincipalHints.Resting(runtime.Dataverse.Pool, runtime.Time.GetUtcNow()), usage.Recorder.Usage(),
            [.. runtime.Dataverse.Pool.Principals.Where(p => p.Failure is not null).Select(p => new PrincipalProblem(p.ClientId, p.Failure!))], stopped, failedFile);
    }

    /// <summary>Upserts or inserts, one window at a time, the rows change detection finds changed; what Dataverse accepted goes to the published state.</summary>
    private async Task PublishAsync(PublishInput input, MappingPlan plan, PublishedState? state, List<PreparedRow> rows, TryOutcome outcome, CancellationToken cancellationToken)
    {
        var job = input.Run.Job;
        long done = 0;
        foreach (var group in rows.GroupBy(r => ById(plan, r)))
        {
            var request = new WriteRequest(plan.Target, job.Mode == JobMode.Insert ? WriteMode.Insert : WriteMode.Upsert, group.Key ? null : plan.KeyAttributes, job.BatchSize);
            foreach (var window in group.Chunk(Math.Max(1, runtime.Options.WindowRows)))
            {
                if (runtime.Stop.IsRequested)
                {
                    outcome.NotSent += rows.Count - done;
                    return;
                }

                try
                {
                    await PublishWindowAsync(input, plan, state, request, window, outcome, cancellationToken);
                }
                catch (OperationCanceledException) when (runtime.Stop.IsRequested)
                {
                    // The grace after a stop is over: what this window's requests did is unknown; the next run sends it again.
                    outcome.NotSent += rows.Count - done;
                    return;
                }

                done += window.Length;
            }
        }
    }

    private async Task PublishWindowAsync(
        PublishInput input, MappingPlan plan, PublishedState? state, WriteRequest request, PreparedRow[] window, TryOutcome outcome, CancellationToken cancellationToken)
    {
        var job = input.Run.Job;
        var send = new List<(PreparedRow Row, RecordToWrite Record, UInt128 Hash)>();
        long unchanged = 0;
        // Only lake-state compares hashes; the other modes need none.
        var candidates = window.Select(r => (Row: r, Hash: state is null ? default : r.Hash ?? RowHash.Of(r.Record))).ToList();
        if (job.ChangeDetection == ChangeDetectionMode.TargetCompare)
        {
            var compared = await new TargetComparer(plan, runtime.Dataverse.Reader).CompareAsync([.. candidates.Select(c => c.Row.Record)], request.KeyAttributes is null, cancellationToken);
            for (int i = 0; i < candidates.Count; i++)
            {
                // Dataverse could not be read: send whole rows rather than guess.
                var record = compared is null ? candidates[i].Row.Record : compared[i];
                if (record is null)
                {
                    unchanged++;
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
                    unchanged++;
                }
                else
                {
                    send.Add((row, row.Record, hash));
                }
            }
        }

        long written = 0;
        var accepted = new List<StateEntry>();
        if (send.Count > 0)
        {
            var byId = send.ToDictionary(s => s.Row.Record.RowId);
            var result = await runtime.Dataverse.Writer.WriteAsync(request, [.. send.Select(s => s.Record)], cancellationToken);
            foreach (var record in result.Records)
            {
                var (row, _, hash) = byId[record.RowId];
                if (outcome.Record(input, record, row, this))
                {
                    written++;
                    if (state is not null)
                    {
                        accepted.Add(new StateEntry(row.Key, RowHash.Hex(hash), RecordKey.ValuesOf(plan, row.Record)));
                    }
                }
            }
        }

        outcome.Written += written;
        outcome.Unchanged += unchanged;
        await runtime.StateTable(job).StageAsync(input.Run.RunId, input.Partition.Index, input.Attempt, accepted, CancellationToken.None);
        outcome.ReportProgress(job);
    }

    /// <summary>
    /// Rows still deferred after the job's <c>maxDeferrals</c> fail with stage <c>deferral</c> — except inserts whose
    /// record exists: a try whose response was lost created them, so they count as written.
    /// </summary>
    private async Task GiveUpAsync(PublishInput input, MappingPlan plan, PublishedState? state, IReadOnlyList<PreparedRow> rows, TryOutcome outcome, CancellationToken cancellationToken)
    {
        var job = input.Run.Job;
        var inserts = job.Mode == JobMode.Insert ? rows.Where(r => !r.Delete && r.Record.Id is not null).ToList() : [];
        var (landed, notChecked) = await runtime.Dataverse.Writer.ExistingIdsPatientlyAsync(
            new WriteRequest(plan.Target, WriteMode.Insert), [.. inserts.Select(r => r.Record.Id!.Value)], cancellationToken);
        var uncheckedIds = notChecked.ToHashSet();
        var accepted = new List<StateEntry>();
        foreach (var row in rows)
        {
            if (!row.Delete && row.Record.Id is { } id && landed.Contains(id))
            {
                outcome.Written++;
                if (state is not null)
                {
                    accepted.Add(new StateEntry(row.Key, RowHash.Hex(row.Hash ?? RowHash.Of(row.Record)), RecordKey.ValuesOf(plan, row.Record)));
                }
            }
            else
            {
                string unknown = row.Record.Id is { } rowId && uncheckedIds.Contains(rowId)
                    ? "; Dataverse stayed too throttled to check whether an earlier try's lost response had created it"
                    : "";
                outcome.Failed.Add(Failed(input, row.File, row.Row, row.Key, FailureStage.Deferral, "0x80072322", $"still throttled after the job's maxDeferrals deferrals{unknown}", null, row));
            }
        }

        await runtime.StateTable(job).StageAsync(input.Run.RunId, input.Partition.Index, input.Attempt, accepted, CancellationToken.None);
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

        if (runtime.Stop.IsRequested)
        {
            outcome.NotSent += rows.Count;
            return;
        }

        var removed = new List<StateEntry>();
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
                    removed.Add(new StateEntry(row.Key, "", null, Deleted: true));
                }
            }
        }

        await runtime.StateTable(job).StageAsync(input.Run.RunId, input.Partition.Index, input.Attempt, removed, CancellationToken.None);
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

        private RowCounts _reported = RowCounts.Zero;

        public List<long> Deferred { get; } = [];

        public DateTimeOffset? RetryAt { get; private set; }

        public long Written { get; set; }

        public long Unchanged { get; set; }

        public long Deleted { get; set; }

        public long DeletesIgnored { get; set; }

        public long NotSent { get; set; }

        public long Superseded { get; init; }

        /// <summary>Adds what this try did since the last call to the live progress metric.</summary>
        public void ReportProgress(JobDefinition job)
        {
            var now = new RowCounts(0, Written, Unchanged, failed.Count, Superseded, Deleted, DeletesIgnored, NotSent);
            RunTelemetry.Progress(job, now - _reported);
            _reported = now;
        }

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
