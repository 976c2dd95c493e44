using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Empower.Sync.ChangeDetection;
using Empower.Sync.Dataverse.Writing;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Mapping;

namespace Empower.Sync.Pipeline.Planning;

/// <summary>
/// Records to delete because their key, published before, is no longer in the table (found by Plan on a full read
/// with change detection <c>lake-state</c> and <c>deletes</c> set). They wait in the run's state folder and are
/// published by one extra partition without lake files.
/// </summary>
internal static class StateDeletes
{
    /// <summary>Where failed rows say such a row came from.</summary>
    public const string Source = "(published state: key no longer in the table)";

    private static string PathOf(string runId) => $"runs/{runId}/state-deletes.jsonl";

    public static async Task SaveAsync(ILakeStorage state, string runId, IReadOnlyList<StateEntry> entries, CancellationToken cancellationToken)
    {
        string text = string.Concat(entries.Select(e => JsonSerializer.Serialize(new { key = e.Key, values = e.KeyValues }) + "\n"));
        await state.WriteIfAbsentAsync(PathOf(runId), Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    /// <summary>The saved deletes (row id = line number), or only those in <paramref name="only"/>.</summary>
    public static async Task<List<StateDelete>> LoadAsync(ILakeStorage state, string runId, MappingPlan plan, IReadOnlySet<long>? only,
        CancellationToken cancellationToken)
    {
        var rows = new List<StateDelete>();
        if (await state.ExistsAsync(PathOf(runId), cancellationToken))
        {
            await using var stream = await state.OpenReadAsync(PathOf(runId), cancellationToken);
            using var reader = new StreamReader(stream);
            long line = 0;
            while (await reader.ReadLineAsync(cancellationToken) is { Length: > 0 } text)
            {
                long rowId = line++;
                if (only is not null && !only.Contains(rowId))
                {
                    continue;
                }

                var entry = JsonNode.Parse(text)!;
                var values = JsonNode.Parse((string)entry["values"]!)!.AsObject();
                Guid? id = values.TryGetPropertyValue(plan.Target.PrimaryIdAttribute, out var pid) ? Guid.Parse((string)pid!) : null;
                rows.Add(new StateDelete(rowId, (string)entry["key"]!, new RecordToWrite(rowId, values, id)));
            }
        }

        return rows;
    }
}

/// <summary>A published record to delete: its line in the saved list (its row id), its key, and its key values as a record.</summary>
internal sealed record StateDelete(long Line, string Key, RecordToWrite Record);
