using System.Runtime.CompilerServices;
using Empower.Sync.Lake.Partitioning;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Rows;
using Empower.Sync.Mapping;

namespace Empower.Sync.Pipeline;

/// <summary>
/// A partition's rows as Plan's key scan and Prepare see them: read item by item, mapped, with the pre-images of
/// updates passed over (they are not rows of the table). A row's id within a partition is the work item it belongs to
/// and its position in that file. With <c>unreadable</c>, files and row groups that cannot be read are passed over and
/// collected there (see <see cref="LakeTableReader.ReadAsync"/>).
/// </summary>
public static class PartitionRows
{
    public static long Id(int item, long rowIndex) => ((long)item << 40) | rowIndex;

    public static async IAsyncEnumerable<PartitionRow> ReadAsync(
        LakeTableReader reader, WorkPartition partition, RowMapper mapper, ICollection<UnreadableRows>? unreadable, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int item = 0; item < partition.Items.Count; item++)
        {
            int current = item;
            var passedOver = unreadable is null ? null : new List<UnreadableRows>();
            await foreach (var batch in reader.ReadAsync(new WorkPartition(partition.Index, [partition.Items[item]]), passedOver, cancellationToken))
            {
                var changeTypes = batch.Columns.Any(c => c.Column.Name == ChangeColumns.ChangeType) ? batch[ChangeColumns.ChangeType] : null;
                int r = 0;
                foreach (var mapped in mapper.Map(batch, row => Id(current, batch.RowIndexes[row])))
                {
                    int batchRow = r++;
                    string? changeType = changeTypes?.GetValue(batchRow) as string;
                    if (changeType != "update_preimage")
                    {
                        long rowIndex = batch.RowIndexes[batchRow];
                        yield return new PartitionRow(batch, batchRow, rowIndex, Id(current, rowIndex), changeType, mapped);
                    }
                }
            }

            foreach (var part in passedOver ?? [])
            {
                unreadable!.Add(part with { Item = current });
            }
        }
    }
}

/// <summary>One row of a partition: its batch, its place in the batch and in its file, its id, its change type when reading changes, and its mapping.</summary>
public readonly record struct PartitionRow(RowBatch Batch, int BatchRow, long RowIndex, long Id, string? ChangeType, MappedRow Mapped);
