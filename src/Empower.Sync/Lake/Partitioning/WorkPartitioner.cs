using Empower.Sync.Lake.Parquet;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;

namespace Empower.Sync.Lake.Partitioning;

/// <summary>
/// Splits a table's files into work partitions: whole files while they fit, a large file by row group. Footers are
/// read only for files whose size or row count is unknown or too large; order is the files' order, so plans are stable.
/// </summary>
public static class WorkPartitioner
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

    private static async Task<IReadOnlyList<WorkItem>> ItemsOfAsync(ILakeStorage storage, SourceFile file, PartitioningOptions options, CancellationToken cancellationToken)
    {
        if (file.PhysicalRows is { } known && known <= options.MaxRows && file.Size <= options.MaxBytes)
        {
            return [new WorkItem(file, null, known, file.Size)];
        }

        await using var parquet = await ParquetFile.OpenAsync(storage, file.Path, cancellationToken);
        var groups = parquet.Reader.Metadata!.RowGroups;
        if (groups.Count <= 1 || (parquet.RowCount <= options.MaxRows && file.Size <= options.MaxBytes))
        {
            return [new WorkItem(file with { PhysicalRows = parquet.RowCount }, null, parquet.RowCount, file.Size)];
        }

        return groups.Select((g, i) => new WorkItem(file with { PhysicalRows = parquet.RowCount }, [i], g.NumRows, g.TotalCompressedSize ?? g.TotalByteSize)).ToList();
    }
}
