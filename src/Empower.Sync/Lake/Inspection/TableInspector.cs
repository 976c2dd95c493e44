using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;

namespace Empower.Sync.Lake.Inspection;

/// <summary>
/// Builds a <see cref="TableInspection"/>: metadata and counts from the log and footers, an optional row preview, and
/// with <c>verify</c> a read of every data file and deletion vector (<see cref="TableVerification"/>).
/// </summary>
public static class TableInspector
{
    public static async Task<TableInspection> InspectAsync(
        ILakeStorage storage, TableRequest request, int previewRows, LakeReadOptions options, bool verify = false,
            CancellationToken cancellationToken = default)
    {
        var table = await LakeTableOpener.OpenAsync(storage, request, cancellationToken);
        var snapshot = table.Snapshot;
        long rows = await TableStatistics.CountRowsAsync(storage, table, cancellationToken);
        var preview = previewRows > 0 ? await PreviewAsync(storage, table, previewRows, options, cancellationToken) : null;
        var verification = verify ? await VerifyAsync(storage, table, rows, options, cancellationToken) : null;
        return new TableInspection(
            table.Location,
            table.Format.ToString().ToLowerInvariant(),
            table.Version,
            snapshot?.Timestamp,
            snapshot is null ? null : new ProtocolInfo(snapshot.Protocol.MinReaderVersion, snapshot.Protocol.MinWriterVersion,
                snapshot.Protocol.ReaderFeatures, snapshot.Protocol.WriterFeatures),
            snapshot?.Metadata.ColumnMappingMode ?? "none",
            snapshot?.Metadata.ChangeDataFeedEnabled ?? false,
            table.PartitionColumns,
            table.Files.Count,
            table.Files.Count(f => f.DeletionVector is not null),
            table.Files.Sum(f => f.DeletedRows),
            rows,
            table.Columns.Select(ColumnInfo.From).ToList(),
            preview,
            verification);
    }

    /// <summary>Reads every file as a sync would, so what passes here is what a sync can read.</summary>
    private static async Task<TableVerification> VerifyAsync(ILakeStorage storage, LakeTable table, long expectedRows, LakeReadOptions options,
        CancellationToken cancellationToken)
    {
        var reader = new LakeTableReader(storage, table, options);
        var problems = new List<VerificationProblem>();
        long read = 0;
        foreach (var file in table.Files)
        {
            var unreadable = new List<UnreadableRows>();
            var item = new Partitioning.WorkItem(file, null, file.PhysicalRows ?? 0, file.Size);
            await foreach (var batch in reader.ReadAsync(new Partitioning.WorkPartition(0, [item]), unreadable, cancellationToken))
            {
                read += batch.RowCount;
            }

            problems.AddRange(unreadable.Select(u => new VerificationProblem(u.File, u.RowIndexes.Count(r => r != UnreadableRows.UnknownRow), u.Reason)));
        }

        if (problems.Count == 0 && read != expectedRows)
        {
            problems.Add(new VerificationProblem(table.Location, Math.Abs(expectedRows - read),
                $"the files hold {read} rows but the log and footers count {expectedRows}"));
        }

        return new TableVerification(table.Files.Count, read, problems);
    }

    /// <summary>The first <paramref name="limit"/> rows of <paramref name="table"/>, by column name.</summary>
    internal static async Task<List<IReadOnlyDictionary<string, object?>>> PreviewAsync(
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
