using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Lake.Rows;

/// <summary>
/// A batch of rows read from one row group of one file, column by column. <see cref="RowIndexes"/> gives each row's
/// position in its file (rows removed by a deletion vector leave gaps), so errors can name the exact source row.
/// </summary>
internal sealed class RowBatch(string file, IReadOnlyList<ColumnVector> columns, long[] rowIndexes)
{
    /// <summary>The data file the rows come from, relative to the table root.</summary>
    public string File { get; } = file;

    public IReadOnlyList<ColumnVector> Columns { get; } = columns;

    public long[] RowIndexes { get; } = rowIndexes;

    public int RowCount => RowIndexes.Length;

    public ColumnVector this[string name] =>
        Columns.FirstOrDefault(c => c.Column.Name == name) ?? throw new KeyNotFoundException($"The batch has no column '{name}'.");

    public IReadOnlyList<LakeColumn> Schema => Columns.Select(c => c.Column).ToList();
}
