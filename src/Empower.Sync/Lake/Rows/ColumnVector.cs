using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Lake.Rows;

/// <summary>
/// One column of a <see cref="RowBatch"/>. The typed subclasses hold plain arrays so the pipeline reads values without
/// boxing; <see cref="GetValue"/> boxes and is meant for previews and tests.
/// </summary>
internal abstract class ColumnVector(LakeColumn column)
{
    public LakeColumn Column { get; } = column;

    public abstract int Length { get; }

    public abstract bool IsNull(int row);

    public abstract object? GetValue(int row);

    /// <summary>A new vector with only the rows listed (ascending), used to drop rows deleted by a deletion vector.</summary>
    public abstract ColumnVector Select(int[] rows);

    /// <summary>A new vector with <paramref name="length"/> rows from <paramref name="start"/>: a batch cut from a column read whole.</summary>
    public abstract ColumnVector Slice(int start, int length);
}
