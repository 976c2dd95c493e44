using System.Runtime.CompilerServices;
using Empower.Sync.Lake.Partitioning;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Rows;

namespace Empower.Sync.Mapping;

/// <summary>
/// A partition's rows as Plan's key scan and Prepare see them: read item by item, with the pre-images of updates
/// passed over (they are not rows of the table). A row's id within a partition is the work item it belongs to and its
/// position in that file. Rows are not mapped here: each reader maps them with the plan it needs (keys only, or whole
/// rows, or just the key of a deleted row). With <c>unreadable</c>, files and row groups that cannot be read are passed
/// over and collected there (see <see cref="LakeTableReader.ReadAsync"/>).
/// </summary>
internal static class PartitionRows
{
    public static long Id(int item, long rowIndex) => ((long)item << 40) | rowIndex;

    public static async IAsyncEnumerable<PartitionRow> ReadAsync(
        LakeTableReader reader, WorkPartition partition, ICollection<UnreadableRows>? unreadable, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int item = 0; item < partition.Items.Count; item++)
        {
            var passedOver = unreadable is null ? null : new List<UnreadableRows>();
            await foreach (var batch in reader.ReadAsync(new WorkPartition(partition.Index, [partition.Items[item]]), passedOver, cancellationToken))
            {
                var changeTypes = batch.Columns.Any(c => c.Column.Name == ChangeColumns.ChangeType) ? batch[ChangeColumns.ChangeType] : null;
                for (int row = 0; row < batch.RowCount; row++)
                {
                    string? changeType = changeTypes?.GetValue(row) as string;
                    if (changeType != "update_preimage")
                    {
                        long rowIndex = batch.RowIndexes[row];
                        yield return new PartitionRow(batch, row, rowIndex, Id(item, rowIndex), changeType);
                    }
                }
            }

            foreach (var part in passedOver ?? [])
            {
                unreadable!.Add(part with { Item = item });
            }
        }
    }
}

/// <summary>One row of a partition: its batch, its place in the batch and in its file, its id, and its change type when reading changes.</summary>
internal readonly record struct PartitionRow(RowBatch Batch, int BatchRow, long RowIndex, long Id, string? ChangeType)
{
    public bool IsDelete => ChangeType == "delete";
}
