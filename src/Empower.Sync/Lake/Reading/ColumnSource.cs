using Empower.Sync.Lake.Schema;
using Parquet.Schema;

namespace Empower.Sync.Lake.Reading;

/// <summary>Where one output column's values come from in one file.</summary>
internal abstract record ColumnSource(LakeColumn Column)
{
    /// <summary>A plain leaf (top level or inside structs), read into a typed vector.</summary>
    public sealed record Leaf(LakeColumn Column, DataField Field) : ColumnSource(Column);

    /// <summary>An array or map (or anything inside one), assembled as JSON.</summary>
    public sealed record Nested(LakeColumn Column, Field Field) : ColumnSource(Column);

    /// <summary>The same value in every row: a partition column, or a change read's constant columns.</summary>
    public sealed record Constant(LakeColumn Column, object? Value) : ColumnSource(Column);

    /// <summary>Not in this file (added to the schema later): null in every row.</summary>
    public sealed record Missing(LakeColumn Column) : ColumnSource(Column);
}
