using Empower.Sync.ChangeDetection;
using Empower.Sync.Dataverse.Writing;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Mapping;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Publishing.Changes;
using Empower.Sync.Pipeline.Runtime;

namespace Empower.Sync.Pipeline.Publishing;

/// <summary>
/// Publish for one partition, a prepared window at a time: change detection picks the rows to send, they are upserted
/// or inserted over the principal pool, lake deletes are applied as the job says, and what Dataverse accepted is staged
/// for the published-state table after each window (committed by Finalize, or adopted by the next run if this one never
/// finalises), so a run killed mid-partition re-sends at most the windows in flight. Once the run is stopping no window
/// is sent: the rest is still prepared, and counted as not sent. A try that gives up records its rows as failed.
/// </summary>
internal sealed class PartitionPublisher(JobRuntime runtime, PublishInput input, MappingPlan plan, PublishedState? state, PublishTry outcome)
{
    private readonly JobDefinition _job = input.Run.Job;
    private readonly ChangeFilter _changes = ChangeFilter.For(input.Run.Job, plan, state, runtime.Dataverse.Reader);

    public async Task PublishAsync(IAsyncEnumerable<IReadOnlyList<PreparedRow>> windows, CancellationToken cancellationToken)
    {
        await foreach (var window in windows.WithCancellation(cancellationToken))
        {
            if (input.GiveUp)
            {
                await GiveUpAsync(window, cancellationToken);
                continue;
            }

            var upserts = window.Where(r => !r.Delete).ToList();
            var deletes = window.Where(r => r.Delete).ToList();
            await SendAsync(upserts, cancellationToken);
            await RemoveAsync(deletes, cancellationToken);
            outcome.ReportProgress();
        }
    }

    /// <summary>Upserts or inserts the rows change detection finds changed; what Dataverse accepted goes to the published state.</summary>
    private async Task SendAsync(List<PreparedRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (runtime.Stop.IsRequested)
        {
            outcome.NotSent += rows.Count;
            return;
        }

        var accepted = new List<StateEntry>();
        int done = 0;
        try
        {
            foreach (var group in rows.GroupBy(ById))
            {
                var request = new WriteRequest(plan.Target, _job.Mode == JobMode.Insert ? WriteMode.Insert : WriteMode.Upsert, group.Key ? null
                    : plan.KeyAttributes, _job.BatchSize);
                PreparedRow[] groupRows = [.. group];
                var send = await _changes.ChangedAsync(groupRows, request.KeyAttributes is null, cancellationToken);
                outcome.Unchanged += groupRows.Length - send.Count;
                if (send.Count == 0)
                {
                    done += groupRows.Length;
                    continue;
                }

                var byId = send.ToDictionary(s => s.Row.Record.RowId);
                var result = await runtime.Dataverse.Writer.WriteAsync(request, [.. send.Select(s => s.Record)], cancellationToken);
                foreach (var record in result.Records)
                {
                    var (row, _, hash) = byId[record.RowId];
                    if (outcome.Record(record, row))
                    {
                        outcome.Written++;
                        if (state is not null)
                        {
                            accepted.Add(new StateEntry(row.Key, RowHash.Hex(hash), RecordKey.ValuesOf(plan, row.Record)));
                        }
                    }
                }

                done += groupRows.Length;
            }
        }
        catch (OperationCanceledException) when (runtime.Stop.IsRequested)
        {
            // The grace after a stop is over: what these requests did is unknown; the next run sends the rows again.
            outcome.NotSent += rows.Count - done;
        }

        // Staged even when requests were cancelled: what Dataverse confirmed must not be sent again.
        await runtime.StateTable(_job).StageAsync(input.Run.RunId, input.Partition.Index, input.Attempt, accepted, CancellationToken.None);
    }

    /// <summary>Applies lake deletes per the job's <c>deletes</c>: ignored, deleted, or deactivated.</summary>
    private async Task RemoveAsync(List<PreparedRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (_job.Deletes == DeleteHandling.Ignore)
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
        var mode = _job.Deletes == DeleteHandling.Delete ? RemoveMode.Delete : RemoveMode.Deactivate;
        foreach (var group in rows.GroupBy(ById))
        {
            var request = new WriteRequest(plan.Target, WriteMode.Upsert, group.Key ? null : plan.KeyAttributes, _job.BatchSize);
            var byId = group.ToDictionary(r => r.Record.RowId);
            var result = await runtime.Dataverse.Remover.RemoveAsync(request, [.. group.Select(r => r.Record)], mode, cancellationToken);
            foreach (var record in result.Records)
            {
                var row = byId[record.RowId];
                if (outcome.Record(record, row))
                {
                    outcome.Deleted++;
                    removed.Add(new StateEntry(row.Key, "", null, Deleted: true));
                }
            }
        }

        await runtime.StateTable(_job).StageAsync(input.Run.RunId, input.Partition.Index, input.Attempt, removed, CancellationToken.None);
    }

    /// <summary>
    /// Rows still deferred after the job's <c>maxDeferrals</c> fail with stage <c>deferral</c> — except inserts whose
    /// record exists: a try whose response was lost created them, so they count as written.
    /// </summary>
    private async Task GiveUpAsync(IReadOnlyList<PreparedRow> rows, CancellationToken cancellationToken)
    {
        var inserts = _job.Mode == JobMode.Insert ? rows.Where(r => !r.Delete && r.Record.Id is not null).ToList() : [];
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
                outcome.Failed.Add(Failure(row, FailureStage.Deferral, "0x80072322", $"still throttled after the job's maxDeferrals deferrals{unknown}", null));
            }
        }

        await runtime.StateTable(_job).StageAsync(input.Run.RunId, input.Partition.Index, input.Attempt, accepted, CancellationToken.None);
    }

    /// <summary>Rows with a record id are matched by it (upsert) or created with it (insert); the others by the alternate key.</summary>
    private bool ById(PreparedRow row) => plan.KeyAttributes is null || row.Record.Id is not null && _job.Mode == JobMode.Upsert;

    public FailedRow Failure(PreparedRow row, FailureStage stage, string? code, string message, string? principal) =>
        Failure(runtime, input, row.File, row.Row, row.Key, stage, code, message, principal, row);

    public static FailedRow Failure(
        JobRuntime runtime, PublishInput input, string file, long row, string? key, FailureStage stage, string? code, string message, string? principal,
            PreparedRow? prepared) =>
        new(input.Run.RunId, input.Run.Job.Name, input.Run.Job.Target.Table, file, row, key, stage, code, message, input.Attempt + 1, principal,
            runtime.Time.GetUtcNow(), prepared?.Record.Attributes.ToJsonString(ReadableJson.Options));
}
