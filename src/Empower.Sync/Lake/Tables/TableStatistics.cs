using Empower.Sync.Lake.Parquet;
using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Lake.Tables;

/// <summary>Counts a table's rows from file statistics and footers, without reading any data.</summary>
internal static class TableStatistics
{
    /// <summary>Rows Spark would return: physical rows of the active files minus the rows their deletion vectors delete.</summary>
    public static async Task<long> CountRowsAsync(ILakeStorage storage, LakeTable table, CancellationToken cancellationToken = default)
    {
        long rows = 0;
        foreach (var file in table.Files)
        {
            long physical = file.PhysicalRows ?? await FooterRowsAsync(storage, file.Path, cancellationToken);
            rows += physical - file.DeletedRows;
        }

        return rows;
    }

    private static async Task<long> FooterRowsAsync(ILakeStorage storage, string path, CancellationToken cancellationToken)
    {
        await using var parquet = await ParquetFile.OpenAsync(storage, path, cancellationToken);
        return parquet.RowCount;
    }
}
