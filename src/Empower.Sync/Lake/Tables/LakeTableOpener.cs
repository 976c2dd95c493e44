using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Lake.Tables;

/// <summary>Opens whatever is at a storage root: a Delta table when it has a <c>_delta_log</c>, else a Parquet folder.</summary>
internal static class LakeTableOpener
{
    public static async Task<LakeTable> OpenAsync(ILakeStorage storage, TableRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Version is not null && request.Timestamp is not null)
        {
            throw new ArgumentException("Give a version or a timestamp to read, not both.", nameof(request));
        }

        using var activity = LakeTelemetry.StartOpenTable(storage.Describe(request.File ?? ""));
        var table = await OpenTableAsync(storage, request, cancellationToken);
        activity?.SetTag("empower.lake.format", table.Format.ToString()).SetTag("empower.lake.version",
            table.Version).SetTag("empower.lake.files", table.Files.Count);
        return table;
    }

    private static async Task<LakeTable> OpenTableAsync(ILakeStorage storage, TableRequest request, CancellationToken cancellationToken)
    {
        if (request.File is not null)
        {
            return await ParquetFolderSource.OpenFileAsync(storage, request.File, cancellationToken);
        }

        if (await DeltaTable.ExistsAsync(storage, cancellationToken))
        {
            var table = await DeltaTable.OpenAsync(storage, cancellationToken);
            var snapshot = request.Timestamp is { } at
                ? await table.SnapshotAtAsync(at, cancellationToken)
                : await table.SnapshotAsync(request.Version, cancellationToken);
            return DeltaTableSource.From(snapshot);
        }

        if (request.Version is not null || request.Timestamp is not null)
        {
            throw new LakeFormatException(LakeErrorKind.NotADeltaTable,
                $"{storage.Describe("")} has no _delta_log: time travel (a version or timestamp) needs a Delta table.");
        }

        return await ParquetFolderSource.TryOpenAsync(storage, cancellationToken)
            ?? throw new LakeFormatException(
                LakeErrorKind.TableNotFound,
                $"{storage.Describe("")} has no _delta_log folder and no Parquet files: it is neither a Delta table nor a Parquet folder.");
    }
}
