using System.Text.Json.Nodes;
using Empower.Sync.Dataverse;
using Empower.Sync.Dataverse.Writing;
using Empower.Sync.Jobs;

namespace Empower.Sync.FailedRows;

/// <summary>
/// Re-publishes the failed rows of a run after a fix (a missing parent created, a choice added): each row's mapped
/// payload is sent again as the job writes (same mode and key). Rows that fail again are appended to the failed-rows
/// table under the replay's run id; rows failed in <c>prepare</c> carry no payload and must be fixed in the lake.
/// </summary>
public sealed class FailedRowReplayer(DataverseClient dataverse, FailedRowsTable table, TimeProvider time)
{
    public async Task<ReplayResult> ReplayAsync(JobDefinition job, string runId, string replayRunId, CancellationToken cancellationToken = default)
    {
        var rows = (await table.ReadAsync(runId, cancellationToken)).Where(r => r.Job == job.Name).ToList();
        var replayable = rows.Where(r => r.Payload is not null && r.Stage != FailureStage.Prepare).ToList();
        if (replayable.Count == 0)
        {
            return new ReplayResult(rows.Count, 0, 0, rows.Count);
        }

        var target = await dataverse.Metadata.GetAsync(job.Target.Table, cancellationToken);
        var keys = job.Match?.Key;
        var mode = job.Mode == JobMode.Insert ? WriteMode.Insert : WriteMode.Upsert;
        var records = replayable.Select((r, i) =>
        {
            var payload = (JsonObject)JsonNode.Parse(r.Payload!)!;
            Guid? id = payload[target.PrimaryIdAttribute] is JsonValue v && Guid.TryParse(v.GetValue<string>(), out var g) ? g
                : mode == WriteMode.Insert && keys is not null ? DeterministicId.For(target.LogicalName, [.. keys.Select(k => payload[k]?.GetValue<string>() ?? "")])
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
        int written = result.Count(RecordOutcome.Written) + result.Count(RecordOutcome.AlreadyExisted);
        return new ReplayResult(rows.Count, replayable.Count, written, rows.Count - written);
    }
}

/// <summary>Failed rows of the run, how many could be replayed, how many are now written, how many still fail.</summary>
public sealed record ReplayResult(int FailedRows, int Replayed, int Written, int StillFailing);
