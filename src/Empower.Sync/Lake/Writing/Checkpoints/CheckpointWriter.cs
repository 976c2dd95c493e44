using System.Text;
using System.Text.Json.Nodes;
using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Delta.Log;
using Empower.Sync.Lake.Storage;
using Parquet;
using Parquet.Serialization;

namespace Empower.Sync.Lake.Writing.Checkpoints;

/// <summary>
/// Writes a classic single-part checkpoint of a version and points <c>_delta_log/_last_checkpoint</c> at it, so
/// readers start from it instead of replaying every commit, and log cleanup (Spark's <c>delta.logRetentionDuration</c>)
/// can drop the commits before it. A checkpoint holds the protocol, the metadata, every active file and each
/// application's latest <c>txn</c>; it holds no <c>remove</c> tombstones (VACUUM works from the folder's listing, and
/// the commits keep them for their retention).
/// </summary>
internal static class CheckpointWriter
{
    /// <summary>Commits between checkpoints when the table does not set <c>delta.checkpointInterval</c>: Spark's default.</summary>
    public const int DefaultInterval = 10;

    /// <summary>Whether <paramref name="version"/> is due a checkpoint under the table's interval.</summary>
    public static bool IsDue(long version, IReadOnlyDictionary<string, string>? configuration) =>
        version > 0 && version % Interval(configuration) == 0;

    public static int Interval(IReadOnlyDictionary<string, string>? configuration) =>
        configuration?.GetValueOrDefault("delta.checkpointInterval") is { } text && int.TryParse(text, out int interval) && interval > 0
            ? interval
            : DefaultInterval;

    /// <summary>Writes the checkpoint of <paramref name="version"/> (once: an existing one is kept) and the hint.</summary>
    public static async Task WriteAsync(ILakeStorage storage, long version, CancellationToken cancellationToken)
    {
        var snapshot = await (await DeltaTable.OpenAsync(storage, cancellationToken)).SnapshotAsync(version, cancellationToken);
        if (snapshot.Files.FirstOrDefault(f => f.DeletionVector is not null) is { } withVector)
        {
            throw new LakeFormatException(
                LakeErrorKind.UnsupportedFeature,
                $"{storage.Describe(withVector.Path)} has a deletion vector; Empower checkpoints only the tables it writes, which have none. Let the engine " +
                    $"that wrote the vector checkpoint the table.");
        }

        var rows = new List<CheckpointRow>
        {
            new()
            {
                Protocol = new CheckpointProtocol
                {
                    MinReaderVersion = snapshot.Protocol.MinReaderVersion,
                    MinWriterVersion = snapshot.Protocol.MinWriterVersion,
                    ReaderFeatures = snapshot.Protocol.MinReaderVersion >= 3 ? [.. snapshot.Protocol.ReaderFeatures] : null,
                    WriterFeatures = snapshot.Protocol.MinWriterVersion >= 7 ? [.. snapshot.Protocol.WriterFeatures] : null,
                },
            },
            new()
            {
                MetaData = new CheckpointMetadata
                {
                    Id = snapshot.Metadata.Id,
                    SchemaString = snapshot.Metadata.SchemaString,
                    PartitionColumns = [.. snapshot.Metadata.PartitionColumns],
                    Configuration = new Dictionary<string, string?>(snapshot.Metadata.Configuration),
                },
            },
        };
        rows.AddRange(snapshot.Transactions.Values.Select(t => new CheckpointRow
        {
            Txn = new CheckpointTransaction { AppId = t.AppId, Version = t.Version, LastUpdated = t.LastUpdated },
        }));
        rows.AddRange(snapshot.Files.Select(f => new CheckpointRow
        {
            Add = new CheckpointAdd
            {
                // The log stores paths URL-encoded; the snapshot holds them decoded.
                Path = Uri.EscapeDataString(f.Path).Replace("%2F", "/", StringComparison.Ordinal),
                PartitionValues = new Dictionary<string, string?>(f.PartitionValues),
                Size = f.Size,
                ModificationTime = f.ModificationTime,
                DataChange = false,
                Stats = f.Stats,
            },
        }));

        using var buffer = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows, buffer, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy },
            cancellationToken: cancellationToken);
        string path = $"{LogListing.LogFolder}{version:D20}.checkpoint.parquet";
        await storage.WriteIfAbsentAsync(path, buffer.ToArray(), cancellationToken);
        // A slower writer of an older checkpoint must not move the hint back.
        if ((await LastCheckpoint.TryReadAsync(storage, cancellationToken))?.Version is not { } hinted || hinted < version)
        {
            var hint = new JsonObject { ["version"] = version, ["size"] = rows.Count };
            await storage.WriteAsync(LastCheckpoint.FileName, Encoding.UTF8.GetBytes(hint.ToJsonString()), cancellationToken);
        }
    }
}
