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

        var seen = collectKeys ? new HashSet<UInt128>() : null;
        var keysOnly = RecordKey.KeysOnly(plan);
        var columns = keysOnly.Attributes.Select(a => a.Column!).Append(plan.PrimaryIdColumn).OfType<Lake.Schema.LakeColumn>().Distinct().ToList();
        var reader = new LakeTableReader(source, table, readOptions, includeChangeColumns: changes, columns: columns);
        bool failDuplicates = plan.Job.Duplicates == DuplicateHandling.Fail && !changes;
        var mapper = new RowMapper(keysOnly);
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        var superseded = new Dictionary<int, HashSet<string>>();
        var failing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var partition in partitions)
        {
            for (int item = 0; item < partition.Items.Count; item++)
            {
                int current = item;
                await foreach (var batch in reader.ReadAsync(new WorkPartition(partition.Index, [partition.Items[item]]), cancellationToken))
                {
                    var changeTypes = changes ? batch[ChangeColumns.ChangeType] : null;
                    int r = 0;
                    foreach (var mapped in mapper.Map(batch, row => PartitionRows.Id(current, batch.RowIndexes[row])))
                    {
                        bool preimage = changeTypes?.GetValue(r) as string == "update_preimage";
                        r++;
                        if (mapped.Record is not { } record || preimage)
                        {
                            continue;
                        }

                        string key = RecordKey.Of(plan, record);
                        seen?.Add(ChangeDetection.RowHash.OfKey(key));
                        if (last.TryGetValue(key, out int earlier) && earlier != partition.Index)
                        {
                            if (failDuplicates)
                            {
                                failing.Add(key);
                            }
                            else
                            {
                                (superseded.TryGetValue(earlier, out var keys) ? keys : superseded[earlier] = new(StringComparer.Ordinal)).Add(key);
                            }
                        }

                        last[key] = partition.Index;
                    }
                }
            }
        }

        return (new RunDuplicates(superseded.ToDictionary(p => p.Key, p => p.Value.Order(StringComparer.Ordinal).ToArray()), [.. failing.Order(StringComparer.Ordinal)]), seen);
    }
}
