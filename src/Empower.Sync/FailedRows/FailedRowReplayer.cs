using System.Text.Json;
using System.Text.Json.Nodes;
using Empower.Sync.ChangeDetection;
using Empower.Sync.Dataverse;
using Empower.Sync.Dataverse.Writing;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Storage;

namespace Empower.Sync.FailedRows;

/// <summary>
/// Re-publishes the failed rows of a run after a fix (a missing parent created, a choice added): each row's mapped
/// payload is sent again as the job writes (same mode and key). Only <c>publish</c> and <c>deferral</c> failures carry a
/// payload to send; <c>prepare</c> and <c>read</c> failures must be fixed in the lake, then synced. Rows that fail again
/// are recorded under the replay's run id; rows now written go into the published state (with <c>lake-state</c>), so the
/// next sync does not send them again; and <c>runs/{replay run id}/replay.json</c> in the job's state says what was done.
/// </summary>
public sealed class FailedRowReplayer(DataverseClient dataverse, FailedRowsTable table, ILakeStorage? jobState, PublishedStateTable? state, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public async Task<ReplayResult> ReplayAsync(JobDefinition job, string runId, string replayRunId, CancellationToken cancellationToken = default)
    {
        var rows = (await table.ReadAsync(runId, cancellationToken)).Where(r => r.Job == job.Name).ToList();
        var replayable = rows.Where(r => r.Payload is not null && r.Stage is FailureStage.Publish or FailureStage.Deferral).ToList();
        int notReplayable = rows.Count - replayable.Count;
        if (replayable.Count == 0)
        {
            return await RecordAsync(new ReplayResult(runId, replayRunId, rows.Count, 0, 0, 0, notReplayable), cancellationToken);
        }

        var target = await dataverse.Metadata.GetAsync(job.Target.Table, cancellationToken);
        var keys = job.Match?.Key;
        var mode = job.Mode == JobMode.Insert ? WriteMode.Insert : WriteMode.Upsert;
        var records = replayable.Select((r, i) =>
        {
            var payload = (JsonObject)JsonNode.Parse(r.Payload!)!;
            Guid? id = payload[target.PrimaryIdAttribute] is JsonValue v && Guid.TryParse(v.GetValue<string>(), out var g) ? g
                : mode == WriteMode.Insert && keys is not null ? DeterministicId.For(target.LogicalName,
                    [.. keys.Select(k => payload[k]?.GetValue<string>() ?? "")])
                : null;
            return new RecordToWrite(i, payload, id);
        }).ToList();
        var result = await dataverse.Writer.WriteAsync(new WriteRequest(target, mode, mode == WriteMode.Upsert ? keys : null), records, cancellationToken);

        var stillFailing = result.Records.Where(r => r.Outcome is RecordOutcome.Failed or RecordOutcome.Deferred).Select(r =>
        {
            var original = replayable[(int)r.RowId];
            return original with
            {
                RunId = replayRunId,
                Stage = r.Outcome == RecordOutcome.Deferred ? FailureStage.Deferral : FailureStage.Publish,
                ErrorCode = r.Error?.Code,
                ErrorMessage = r.Error?.Message ?? "",
                Attempts = original.Attempts + 1,
                FailedAt = time.GetUtcNow(),
            };
        }).ToList();
        await table.RecordRunAsync(replayRunId, stillFailing, includePayload: true, cancellationToken);

        var written = result.Records.Where(r => r.Outcome is RecordOutcome.Written or RecordOutcome.AlreadyExisted).ToList();
        if (state is not null && job.ChangeDetection == ChangeDetectionMode.LakeState && written.Count > 0)
        {
            // What a sync would have staged for these rows: their key, the hash of what Dataverse now holds, the key's values.
            var entries = written.Where(r => replayable[(int)r.RowId].RowKey is not null).Select(r =>
            {
                var record = records[(int)r.RowId];
                string? keyValues = keys is null
                    ? record.Id is { } id ? new JsonObject { [target.PrimaryIdAttribute] = id.ToString("D") }.ToJsonString() : null
                    : new JsonObject(keys.Select(k => KeyValuePair.Create(k, record.Attributes[k]?.DeepClone()))).ToJsonString();
                return new StateEntry(replayable[(int)r.RowId].RowKey!, RowHash.Hex(RowHash.Of(record)), keyValues);
            }).ToList();
            await state.StageAsync(replayRunId, 0, 0, entries, cancellationToken);
            await state.CommitStagedAsync(replayRunId, cancellationToken: cancellationToken);
        }

        return await RecordAsync(new ReplayResult(runId, replayRunId, rows.Count, replayable.Count, written.Count, replayable.Count - written.Count,
            notReplayable), cancellationToken);
    }

    private async Task<ReplayResult> RecordAsync(ReplayResult result, CancellationToken cancellationToken)
    {
        if (jobState is not null && result.Replayed > 0)
        {
            await jobState.WriteAsync($"runs/{result.ReplayRunId}/replay.json", JsonSerializer.SerializeToUtf8Bytes(result, Json), cancellationToken);
        }

        return result;
    }
}

/// <summary>
/// A replay: of the run's failed rows, how many were sent again, how many are now written, how many still fail
/// (recorded under <see cref="ReplayRunId"/>), and how many could not be replayed (<c>prepare</c>/<c>read</c> failures,
/// or rows recorded without their payload).
/// </summary>
public sealed record ReplayResult(string RunId, string ReplayRunId, int FailedRows, int Replayed, int Written, int StillFailing, int NotReplayable);
