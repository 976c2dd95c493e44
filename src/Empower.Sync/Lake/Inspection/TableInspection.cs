using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Lake.Inspection;

/// <summary>What <c>empower inspect</c> reports about a table; serialized as-is for <c>--json</c>.</summary>
public sealed record TableInspection(
    string Location,
    string Format,
    long? Version,
    DateTimeOffset? Timestamp,
    ProtocolInfo? Protocol,
    string ColumnMappingMode,
    bool ChangeDataFeed,
    IReadOnlyList<string> PartitionColumns,
    int FileCount,
    int FilesWithDeletionVectors,
    long DeletedRows,
    long RowCount,
    IReadOnlyList<ColumnInfo> Columns,
    IReadOnlyList<IReadOnlyDictionary<string, object?>>? Rows,
    TableVerification? Verification = null);

public sealed record ProtocolInfo(int MinReaderVersion, int MinWriterVersion, IReadOnlyList<string> ReaderFeatures, IReadOnlyList<string> WriterFeatures);

/// <summary>A flattened column: <see cref="Type"/> in Spark's spelling; arrays and maps read as JSON text.</summary>
public sealed record ColumnInfo(string Name, string Type, bool Nullable, bool Partition)
{
    public static ColumnInfo From(LakeColumn column) => new(column.Name, column.TypeName, column.Nullable, column.IsPartition);
}
