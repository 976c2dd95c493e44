using System.Text;
using System.Text.Json;
using Empower.Sync.FailedRows;
using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Pipeline;

/// <summary>
/// Failed rows of a run wait in the job's state folder (one JSON-lines file per publish try) until Finalize appends them
/// to the failed-rows table in one commit; so they never travel through orchestration history.
/// </summary>
public static class FailedRowStaging
{
    public static string Folder(string runId) => $"runs/{runId}/failed/";

    public static async Task WriteAsync(ILakeStorage state, string runId, int partition, int attempt, IReadOnlyList<FailedRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        string text = string.Concat(rows.Select(r => JsonSerializer.Serialize(r) + "\n"));
        // Put-if-absent: when a retried activity staged this try already, the rows are the same and stay as they are.
        await state.WriteIfAbsentAsync($"{Folder(runId)}p{partition:D5}-a{attempt:D3}.jsonl", Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    public static async Task<List<FailedRow>> ReadAsync(ILakeStorage state, string runId, CancellationToken cancellationToken)
    {
        var rows = new List<FailedRow>();
        await foreach (var file in state.ListAsync(Folder(runId), cancellationToken))
        {
            await using var stream = await state.OpenReadAsync(file.Path, cancellationToken);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length > 0)
                {
                    rows.Add(JsonSerializer.Deserialize<FailedRow>(line)!);
                }
            }
        }

        return rows;
    }
}
