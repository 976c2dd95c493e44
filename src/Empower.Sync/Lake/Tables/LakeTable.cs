using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Lake.Tables;

/// <summary>
/// A readable table: a Delta snapshot or a folder of Parquet files. <see cref="Columns"/> are the flattened columns
/// rows are read into; <see cref="Files"/> the data files of this version.
/// </summary>
internal sealed record LakeTable(
    string Location,
    LakeSourceFormat Format,
    LakeSchema Schema,
    IReadOnlyList<string> PartitionColumns,
    IReadOnlyList<SourceFile> Files,
    DeltaSnapshot? Snapshot = null)
{
    public IReadOnlyList<LakeColumn> Columns { get; } = ColumnFlattener.Flatten(Schema, PartitionColumns);

    public long? Version => Snapshot?.Version;

    /// <summary>Match Parquet columns by field id (Delta column mapping mode <c>id</c>).</summary>
    public bool MatchById => Snapshot?.Metadata.ColumnMappingMode == "id";
}
