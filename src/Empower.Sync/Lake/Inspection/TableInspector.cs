using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;

namespace Empower.Sync.Lake.Inspection;

/// <summary>Builds a <see cref="TableInspection"/>: metadata and counts from the log and footers, and an optional row preview.</summary>
public static class TableInspector
{
    public static async Task<TableInspection> InspectAsync(
        ILakeStorage storage, TableRequest request, int previewRows, LakeReadOptions options, CancellationToken cancellationToken = default)
    {
        var table = await LakeTableOpener.OpenAsync(storage, request, cancellationToken);
        var snapshot = table.Snapshot;
        long rows = await TableStatistics.CountRowsAsync(storage, table, cancellationToken);
        var preview = previewRows > 0 ? await PreviewAsync(storage, table, previewRows, options, cancellationToken) : null;
        return new TableInspection(
            table.Location,
            table.Format.ToString().ToLowerInvariant(),
            table.Version,
            snapshot?.Timestamp,
            snapshot is null ? null : new ProtocolInfo(snapshot.Protocol.MinReaderVersion, snapshot.Protocol.MinWriterVersion, snapshot.Protocol.ReaderFeatures, snapshot.Protocol.WriterFeatures),
            snapshot?.Metadata.ColumnMappingMode ?? "none",
            snapshot?.Metadata.ChangeDataFeedEnabled ?? false,
            table.PartitionColumns,
            table.Files.Count,
            table.Files.Count(f => f.DeletionVector is not null),
            table.Files.Sum(f => f.DeletedRows),
            rows,
            table.Columns.Select(ColumnInfo.From).ToList(),
            preview);
    }

    private static async Task<List<IReadOnlyDictionary<string, object?>>> PreviewAsync(
        ILakeStorage storage, LakeTable table, int limit, LakeReadOptions options, CancellationToken cancellationToken)
    {
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        await foreach (var batch in new LakeTableReader(storage, table, options).ReadAllAsync(cancellationToken))
        {
            for (int row = 0; row < batch.RowCount && rows.Count < limit; row++)
            {
                rows.Add(batch.Columns.ToDictionary(c => c.Column.Name, c => c.GetValue(row)));
            }

            if (rows.Count >= limit)
            {
                break;
            }
        }

        return rows;
    }
}
