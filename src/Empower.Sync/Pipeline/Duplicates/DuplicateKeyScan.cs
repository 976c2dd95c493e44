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
/// row in file order wins (or every row of the key fails), as within a partition.
/// </summary>
public static class DuplicateKeyScan
{
    public static async Task<RunDuplicates> ScanAsync(
        ILakeStorage source, LakeTable table, LakeReadOptions readOptions, MappingPlan plan, IReadOnlyList<WorkPartition> partitions, CancellationToken cancellationToken)
    {
        if (partitions.Count < 2 || !RecordKey.CanRepeat(plan))
        {
            return RunDuplicates.None;
        }

        var keysOnly = RecordKey.KeysOnly(plan);
        var columns = keysOnly.Attributes.Select(a => a.Column!).Append(plan.PrimaryIdColumn).OfType<Lake.Schema.LakeColumn>().Distinct().ToList();
        var reader = new LakeTableReader(source, table, readOptions, columns: columns);
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
                    foreach (var mapped in mapper.Map(batch, r => PartitionRows.Id(current, batch.RowIndexes[r])))
                    {
                        if (mapped.Record is not { } record)
                        {
                            continue;
                        }

                        string key = RecordKey.Of(plan, record);
                        if (last.TryGetValue(key, out int earlier) && earlier != partition.Index)
                        {
                            if (plan.Job.Duplicates == DuplicateHandling.Fail)
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

        return new RunDuplicates(superseded.ToDictionary(p => p.Key, p => p.Value.Order(StringComparer.Ordinal).ToArray()), [.. failing.Order(StringComparer.Ordinal)]);
    }
}
