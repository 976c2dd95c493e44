using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Empower.Sync.Lake.Writing.Checkpoints;

/// <summary>
/// One row of a classic checkpoint (PROTOCOL.md, "Checkpoint Schema"): a struct column per action, exactly one of
/// them set. Field names and nesting are Spark's, so Spark, delta-rs and delta-kernel read the file by name.
/// </summary>
internal sealed class CheckpointRow
{
    [JsonPropertyName("txn")]
    public CheckpointTransaction? Txn { get; set; }

    [JsonPropertyName("add")]
    public CheckpointAdd? Add { get; set; }

    [JsonPropertyName("metaData")]
    public CheckpointMetadata? MetaData { get; set; }

    [JsonPropertyName("protocol")]
    public CheckpointProtocol? Protocol { get; set; }
}

internal sealed class CheckpointTransaction
{
    [JsonPropertyName("appId")]
    [ParquetRequired]
    public string AppId { get; set; } = "";

    [JsonPropertyName("version")]
    public long Version { get; set; }

    [JsonPropertyName("lastUpdated")]
    public long? LastUpdated { get; set; }
}

internal sealed class CheckpointAdd
{
    [JsonPropertyName("path")]
    [ParquetRequired]
    public string Path { get; set; } = "";

    [JsonPropertyName("partitionValues")]
    public Dictionary<string, string?> PartitionValues { get; set; } = [];

    [JsonPropertyName("size")]
    public long Size { get; set; }

    [JsonPropertyName("modificationTime")]
    public long ModificationTime { get; set; }

    [JsonPropertyName("dataChange")]
    public bool DataChange { get; set; }

    [JsonPropertyName("stats")]
    public string? Stats { get; set; }
}

internal sealed class CheckpointMetadata
{
    [JsonPropertyName("id")]
    [ParquetRequired]
    public string Id { get; set; } = "";

    [JsonPropertyName("format")]
    public CheckpointFormat Format { get; set; } = new();

    [JsonPropertyName("schemaString")]
    [ParquetRequired]
    public string SchemaString { get; set; } = "";

    [JsonPropertyName("partitionColumns")]
    public List<string> PartitionColumns { get; set; } = [];

    [JsonPropertyName("configuration")]
    public Dictionary<string, string?> Configuration { get; set; } = [];
}

internal sealed class CheckpointFormat
{
    [JsonPropertyName("provider")]
    [ParquetRequired]
    public string Provider { get; set; } = "parquet";
}

internal sealed class CheckpointProtocol
{
    [JsonPropertyName("minReaderVersion")]
    public int MinReaderVersion { get; set; }

    [JsonPropertyName("minWriterVersion")]
    public int MinWriterVersion { get; set; }

    [JsonPropertyName("readerFeatures")]
    public List<string>? ReaderFeatures { get; set; }

    [JsonPropertyName("writerFeatures")]
    public List<string>? WriterFeatures { get; set; }
}
