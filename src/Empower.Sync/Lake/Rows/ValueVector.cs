using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Lake.Rows;

/// <summary>A column of value-typed cells (numbers, booleans, dates, timestamps); null cells are empty nullables.</summary>
internal sealed class ValueVector<T>(LakeColumn column, T?[] values) : ColumnVector(column)
    where T : struct
{
    public T?[] Values { get; } = values;

    public override int Length => Values.Length;

    public T? this[int row] => Values[row];

    public override bool IsNull(int row) => !Values[row].HasValue;

    public override object? GetValue(int row) => Values[row];

    public override ColumnVector Select(int[] rows) => new ValueVector<T>(Column, Array.ConvertAll(rows, r => Values[r]));

    public override ColumnVector Slice(int start, int length) => new ValueVector<T>(Column, Values[start..(start + length)]);
}
