using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Lake.Rows;

/// <summary>A column of reference-typed cells: strings, JSON text (arrays, maps) or binary.</summary>
internal sealed class ReferenceVector<T>(LakeColumn column, T?[] values) : ColumnVector(column)
    where T : class
{
    public T?[] Values { get; } = values;

    public override int Length => Values.Length;

    public T? this[int row] => Values[row];

    public override bool IsNull(int row) => Values[row] is null;

    public override object? GetValue(int row) => Values[row];

    public override ColumnVector Select(int[] rows) => new ReferenceVector<T>(Column, Array.ConvertAll(rows, r => Values[r]));

    public override ColumnVector Slice(int start, int length) => new ReferenceVector<T>(Column, Values[start..(start + length)]);
}
