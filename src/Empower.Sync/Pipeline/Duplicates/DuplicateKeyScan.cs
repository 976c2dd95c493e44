using Empower.Sync.Jobs;
using Empower.Sync.Lake;
using Empower.Sync.Lake.Partitioning;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Mapping;

namespace Empower.Sync.Pipeline.Duplicates;

/// <summary>
/// Reads only the key columns of every partition, in partition order, to find keys that more than one partition holds.
/// Partitions publish in parallel, so without this the row Dataverse keeps would depend on timing; with it the last
/// row in file order wins (or every row of the key fails), as within a partition. Reading changes, later changes of a
/// key always win (a key changed in several versions is no duplicate) and pre-images of updates are passed over. With
/// <c>collectKeys</c> it also returns the hash of every key read (to find published keys that left the table).
/// </summary>
public static class DuplicateKeyScan
{
    public static async Task<(RunDuplicates Duplicates, IReadOnlySet<UInt128>? Keys)> ScanAsync(
        ILakeStorage source, LakeTable table, LakeReadOptions readOptions, MappingPlan plan, IReadOnlyList<WorkPartition> partitions, bool changes,
        bool collectKeys, CancellationToken cancellationToken)
    {
        if (!collectKeys && (partitions.Count < 2 || !RecordKey.CanRepeat(plan)))
        {
            return (RunDuplicates.None, null);
        }

        var keysOnly = RecordKey.KeysOnly(plan);
        var columns = keysOnly.Attributes.Select(a => a.Column!).Append(plan.PrimaryIdColumn).OfType<Lake.Schema.LakeColumn>().Distinct().ToList();
        var reader = new LakeTableReader(source, table, readOptions, includeChangeColumns: changes, columns: columns);
        bool failDuplicates = plan.Job.Duplicates == DuplicateHandling.Fail && !changes;

        // Partitions are read in parallel; their keys are then taken in partition order, which decides who wins.
        var keysByPartition = new List<(UInt128 Hash, string Key)>[partitions.Count];
        await Parallel.ForAsync(0, partitions.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, async (p, ct) =>
            keysByPartition[p] = await KeysAsync(reader, new RowMapper(keysOnly), plan, partitions[p], ct));

        var seen = collectKeys ? new HashSet<UInt128>() : null;
        // By key hash: a million keys take 24 bytes each instead of their text.
        var last = new Dictionary<UInt128, int>();
        var superseded = new Dictionary<int, HashSet<string>>();
        var failing = new HashSet<string>(RecordKey.Comparer);
        for (int p = 0; p < partitions.Count; p++)
        {
            int index = partitions[p].Index;
            foreach (var (keyHash, key) in keysByPartition[p])
            {
                seen?.Add(keyHash);
                if (last.TryGetValue(keyHash, out int earlier) && earlier != index)
                {
                    if (failDuplicates)
                    {
                        failing.Add(key);
                    }
                    else
                    {
                        (superseded.TryGetValue(earlier, out var keys) ? keys : superseded[earlier] = new(RecordKey.Comparer)).Add(key);
                    }
                }

                last[keyHash] = index;
            }

            keysByPartition[p] = [];
        }

        return (new RunDuplicates(superseded.ToDictionary(p => p.Key, p => p.Value.Order(StringComparer.Ordinal).ToArray()), [.. failing.Order(StringComparer.Ordinal)]), seen);
    }

    /// <summary>
    /// The keys of one partition's rows, in order (pre-images of updates, rows whose key does not map, and files that
    /// cannot be read left out: Prepare records those rows as failed).
    /// </summary>
    private static async Task<List<(UInt128 Hash, string Key)>> KeysAsync(
        LakeTableReader reader, RowMapper mapper, MappingPlan plan, WorkPartition partition, CancellationToken cancellationToken)
    {
        var keys = new List<(UInt128, string)>();
        await foreach (var row in PartitionRows.ReadAsync(reader, partition, mapper, new List<UnreadableRows>(), cancellationToken))
        {
            if (row.Mapped.Record is { } record)
            {
                string key = RecordKey.Of(plan, record);
                keys.Add((ChangeDetection.RowHash.OfKey(key), key));
            }
        }

        return keys;
    }
}
