using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;

namespace Empower.Sync.ChangeDetection;

/// <summary>Published-state rows as <see cref="StateEntry"/>: the columns of <see cref="PublishedStateTable.Schema"/>.</summary>
internal static class StateEntries
{
    public static object?[] Row(StateEntry entry, string? runId, DateTimeOffset publishedAt) =>
        [entry.Key, entry.Hash, entry.KeyValues, entry.Deleted, runId, publishedAt];

    /// <summary>Every entry of <paramref name="table"/>, oldest file first, so later entries override earlier ones.</summary>
    public static async IAsyncEnumerable<StateEntry> ReadAsync(
        ILakeStorage storage, LakeTable table, bool withDetails, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = new LakeTableReader(storage, table, columns: [.. table.Columns.Where(c => c.Name is "key" or "hash" or "deleted" || withDetails
            && c.Name is "key_values" or "run_id" or "published_at")]);
        await foreach (var batch in reader.ReadAllAsync(cancellationToken))
        {
            var keys = batch["key"];
            var hashes = batch["hash"];
            var values = withDetails ? batch["key_values"] : null;
            var deleted = batch["deleted"];
            var runs = withDetails ? batch["run_id"] : null;
            var published = withDetails ? batch["published_at"] : null;
            for (int r = 0; r < batch.RowCount; r++)
            {
                yield return new StateEntry(
                    (string)keys.GetValue(r)!, (string?)hashes.GetValue(r) ?? "", (string?)values?.GetValue(r), deleted.GetValue(r) is true,
                    (string?)runs?.GetValue(r), published?.GetValue(r) is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null);
            }
        }
    }
}
