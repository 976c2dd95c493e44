using System.Text;
using System.Text.Json;
using Empower.Sync.Lake.Storage;

namespace Empower.Sync.FailedRows;

/// <summary>
/// Failed rows of a run wait in the job's state folder (one JSON-lines file per publish try) until Finalize appends them
/// to the failed-rows table in one commit; so they never travel through orchestration history. Each execution of a try
/// writes a file of its own, and the try's result names it: Finalize reads exactly the files of the results the run
/// used, never what a crashed execution of the same run id, or a duplicate execution of an activity, left behind.
/// </summary>
internal static class FailedRowStaging
{
    public static string Folder(string runId) => $"runs/{runId}/failed/";

    /// <summary>Stages one try's failed rows; returns the file's path in the state folder, or null when none failed.</summary>
    public static async Task<string?> WriteAsync(ILakeStorage state, string runId, int partition, int attempt, IReadOnlyList<FailedRow> rows,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return null;
        }

        string text = string.Concat(rows.Select(r => JsonSerializer.Serialize(r) + "\n"));
        string path = $"{Folder(runId)}p{partition:D5}-a{attempt:D3}-{Guid.NewGuid():N}.jsonl";
        await state.WriteIfAbsentAsync(path, Encoding.UTF8.GetBytes(text), cancellationToken);
        return path;
    }

    /// <summary>The rows of the given staged files.</summary>
    public static async Task<List<FailedRow>> ReadAsync(ILakeStorage state, IEnumerable<string> files, CancellationToken cancellationToken)
    {
        var rows = new List<FailedRow>();
        foreach (string path in files)
        {
            await using var stream = await state.OpenReadAsync(path, cancellationToken);
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
