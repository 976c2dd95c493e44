using Empower.Sync.Lake.Parquet;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;

namespace Empower.Sync.Lake.Partitioning;

/// <summary>
/// Splits a table's files into work partitions: whole files while they fit, a large file by row group, a large row
/// group by rows. Footers are read only for files whose size or row count is unknown or too large; order is the files'
/// order, so plans are stable.
/// </summary>
internal static class WorkPartitioner
{
    public static async Task<IReadOnlyList<WorkPartition>> PlanAsync(
        ILakeStorage storage, IEnumerable<SourceFile> files, PartitioningOptions options, CancellationToken cancellationToken = default)
    {
        var items = new List<WorkItem>();
        foreach (var file in files)
        {
            items.AddRange(await ItemsOfAsync(storage, file, options, cancellationToken));
        }

        var partitions = new List<WorkPartition>();
        var current = new List<WorkItem>();
        long rows = 0, bytes = 0;
        foreach (var item in items)
        {
            if (current.Count > 0 && (rows + item.Rows > options.MaxRows || bytes + item.Bytes > options.MaxBytes))
            {
                partitions.Add(new WorkPartition(partitions.Count, current));
                current = [];
                rows = bytes = 0;
            }

            current.Add(item);
            rows += item.Rows;
            bytes += item.Bytes;
        }

        if (current.Count > 0)
        {
            partitions.Add(new WorkPartition(partitions.Count, current));
        }

        return partitions;
    }

    private static long Ceiling(long value, long by) => (value + by - 1) / by;

    private static async Task<IReadOnlyList<WorkItem>> ItemsOfAsync(ILakeStorage storage, SourceFile file, PartitioningOptions options,
        CancellationToken cancellationToken)
    {
        if (file.PhysicalRows is { } known && known <= options.MaxRows && file.Size <= options.MaxBytes)
        {
            return [new WorkItem(file, null, known, file.Size)];
        }

        await using var parquet = await ParquetFile.OpenAsync(storage, file.Path, cancellationToken);
        var counted = file with { PhysicalRows = parquet.RowCount };
        if (parquet.RowCount <= options.MaxRows && file.Size <= options.MaxBytes)
        {
            return [new WorkItem(counted, null, parquet.RowCount, file.Size)];
        }

        var items = new List<WorkItem>();
        long first = 0;
        var groups = parquet.Reader.Metadata!.RowGroups;
        for (int g = 0; g < groups.Count; first += groups[g].NumRows, g++)
        {
            long rows = groups[g].NumRows;
            long bytes = groups[g].TotalCompressedSize ?? groups[g].TotalByteSize;
            // A row group larger than a partition is split by rows: a partition then holds whatever the writer chose.
            long slices = Math.Max(1, Math.Max(Ceiling(rows, options.MaxRows), Ceiling(bytes, options.MaxBytes)));
            if (slices == 1)
            {
                items.Add(new WorkItem(counted, [g], rows, bytes));
                continue;
            }

            long size = Ceiling(rows, slices);
            for (long start = 0; start < rows; start += size)
            {
                long count = Math.Min(size, rows - start);
                items.Add(new WorkItem(counted, [g], count, bytes * count / rows, first + start));
            }
        }

        return items;
    }
}
