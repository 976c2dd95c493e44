using Empower.Sync.ChangeDetection;
using Empower.Sync.Jobs;
using Empower.Sync.Lake;
using Empower.Sync.Lake.Partitioning;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Mapping;

namespace Empower.Sync.Pipeline.Planning.Duplicates;

/// <summary>
/// Reads only the key columns of every partition to find keys that more than one row holds, within a partition or
/// across partitions. Partitions publish in parallel and each publishes as it reads, so without this the row Dataverse
/// keeps would depend on timing; with it the last row in file order wins (or every row of the key fails). Reading
/// changes, later changes of a key always win (a key changed in several versions is no duplicate) and pre-images of
/// updates are passed over. Keys are compared a bucket of hashes at a time (<see cref="KeyBuckets"/>), so memory does
/// not grow with the table. With <c>collectKeys</c> it also returns the hash of every key read (to find published keys
/// that left the table).
/// </summary>
internal static class DuplicateKeyScan
{
    public static async Task<(RunDuplicates Duplicates, IReadOnlySet<UInt128>? Keys)> ScanAsync(
        ILakeStorage source, LakeTable table, LakeReadOptions readOptions, MappingPlan plan, IReadOnlyList<WorkPartition> partitions, bool changes,
        bool collectKeys, CancellationToken cancellationToken)
    {
        if (!collectKeys && !RecordKey.CanRepeat(plan))
        {
            return (RunDuplicates.None, null);
        }

        var keysOnly = RecordKey.KeysOnly(plan);
        var columns = keysOnly.Attributes.Select(a => a.Column!).Append(plan.PrimaryIdColumn).OfType<Lake.Schema.LakeColumn>().Distinct().ToList();
        var reader = new LakeTableReader(source, table, readOptions, includeChangeColumns: changes, columns: columns);
        bool failDuplicates = plan.Job.Duplicates == DuplicateHandling.Fail && !changes;

        using var buckets = new KeyBuckets(partitions.Sum(p => p.Rows));
        await Parallel.ForAsync(0, partitions.Count, new ParallelOptions { CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = Environment.ProcessorCount }, async (p, ct) =>
            buckets.Add(await KeysAsync(reader, new RowMapper(keysOnly), plan, partitions[p], ct)));

        var seen = collectKeys ? new HashSet<UInt128>() : null;
        var superseded = new Dictionary<int, List<long>>();
        var failing = new List<string>();
        for (int b = 0; b < buckets.Count; b++)
        {
            var entries = buckets.Read(b);
            for (int first = 0, next; first < entries.Length; first = next)
            {
                next = first + 1;
                while (next < entries.Length && entries[next].Hash == entries[first].Hash)
                {
                    next++;
                }

                seen?.Add(entries[first].Hash);
                if (next - first > 1 && failDuplicates)
                {
                    failing.Add(RowHash.Hex(entries[first].Hash));
                }
                else
                {
                    // Entries sort in file order within a key: all but the last are replaced.
                    for (int i = first; i < next - 1; i++)
                    {
                        (superseded.TryGetValue(entries[i].Partition, out var rows) ? rows : superseded[entries[i].Partition] = []).Add(entries[i].Row);
                    }
                }
            }
        }

        return (new RunDuplicates(superseded.ToDictionary(p => p.Key, p => p.Value.Order().ToArray()), [.. failing.Order(StringComparer.Ordinal)]), seen);
    }

    /// <summary>
    /// The key hashes of one partition's rows (pre-images of updates, rows whose key does not map, and files that cannot
    /// be read left out: Prepare records those rows as failed).
    /// </summary>
    private static async Task<List<KeyEntry>> KeysAsync(LakeTableReader reader, RowMapper mapper, MappingPlan plan, WorkPartition partition,
        CancellationToken cancellationToken)
    {
        var keys = new List<KeyEntry>();
        await foreach (var row in PartitionRows.ReadAsync(reader, partition, new List<UnreadableRows>(), cancellationToken))
        {
            if (mapper.Map(row.Batch, row.BatchRow, row.Id).Record is { } record)
            {
                keys.Add(new KeyEntry(RowHash.OfKey(RecordKey.Of(plan, record), plan.KeyCollation), partition.Index, row.Id));
            }
        }

        return keys;
    }
}
