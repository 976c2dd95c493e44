using Empower.Sync.Lake.Parquet;
using Empower.Sync.Lake.Rows;

namespace Empower.Sync.Lake.Reading;

/// <summary>
/// Reads one row group of one file a batch at a time, from a given row on. Plain columns are decoded batch by batch
/// (<see cref="ColumnBatchReader"/>); nested columns, and columns the file stores with another type than the table
/// declares, are decoded whole (Parquet.Net) and cut into batches; constants are repeated.
/// </summary>
internal sealed class RowGroupCursor : IDisposable
{
    private readonly ParquetFile _file;
    private readonly int _group;
    private readonly List<ColumnSource> _plan;
    private readonly ColumnBatchReader?[] _batched;
    private readonly ColumnVector?[] _whole;
    private ParquetSharp.RowGroupReader? _batches;
    private int _position;

    private RowGroupCursor(ParquetFile file, int group, List<ColumnSource> plan, int position)
    {
        _file = file;
        _group = group;
        _plan = plan;
        _batched = new ColumnBatchReader?[plan.Count];
        _whole = new ColumnVector?[plan.Count];
        _position = position;
    }

    /// <summary>A cursor on row group <paramref name="group"/> at its row <paramref name="first"/>.</summary>
    public static async Task<RowGroupCursor> OpenAsync(
        ParquetFile file, int group, List<ColumnSource> plan, FieldMatcher matcher, int first, CancellationToken cancellationToken)
    {
        var cursor = new RowGroupCursor(file, group, plan, first);
        try
        {
            await cursor.OpenColumnsAsync(matcher, cancellationToken);
            return cursor;
        }
        catch
        {
            cursor.Dispose();
            throw;
        }
    }

    private async Task OpenColumnsAsync(FieldMatcher matcher, CancellationToken cancellationToken)
    {
        global::Parquet.ParquetRowGroupReader? whole = null;
        try
        {
            for (int c = 0; c < _plan.Count; c++)
            {
                var source = _plan[c];
                try
                {
                    if (source is ColumnSource.Leaf { Field.Path.Length: 1 } leaf)
                    {
                        _batches ??= (await _file.BatchReaderAsync(cancellationToken)).RowGroup(_group);
                        _batched[c] = ColumnBatchReader.TryOpen(_batches, _file.BatchColumnIndex(leaf.Field), leaf.Column);
                        _batched[c]?.Skip(_position);
                    }

                    if (_batched[c] is null && source is ColumnSource.Leaf or ColumnSource.Nested)
                    {
                        whole ??= _file.Reader.OpenRowGroupReader(_group);
                        _whole[c] = source is ColumnSource.Leaf l
                            ? await LeafVectorReader.ReadAsync(whole, l.Field, l.Column, cancellationToken)
                            : await ReadJsonAsync(whole, (ColumnSource.Nested)source, matcher, cancellationToken);
                    }
                }
                catch (Exception ex) when (ex is not LakeFormatException and not OperationCanceledException)
                {
                    throw Unreadable(source, ex);
                }
            }
        }
        finally
        {
            whole?.Dispose();
        }
    }

    /// <summary>The next <paramref name="rows"/> rows, one vector per planned column.</summary>
    public ColumnVector[] Read(int rows)
    {
        var vectors = new ColumnVector[_plan.Count];
        for (int c = 0; c < _plan.Count; c++)
        {
            try
            {
                vectors[c] = _batched[c]?.Read(rows) ?? _whole[c]?.Slice(_position, rows) ?? _plan[c] switch
                {
                    ColumnSource.Constant constant => VectorFactory.Constant(constant.Column, constant.Value, rows),
                    var other => VectorFactory.Constant(other.Column, null, rows),
                };
            }
            catch (Exception ex) when (ex is not LakeFormatException and not OperationCanceledException)
            {
                throw Unreadable(_plan[c], ex);
            }
        }

        _position += rows;
        return vectors;
    }

    private LakeFormatException Unreadable(ColumnSource source, Exception ex)
    {
        string storage = source is ColumnSource.Leaf l ? $" ({_file.DescribeColumn(_group, l.Field)})" : "";
        return new LakeFormatException(LakeErrorKind.CorruptDataFile,
            $"Cannot read column '{source.Column.Name}' of {_file.Location}, row group {_group}{storage}: {ex.Message}", ex);
    }

    private static async Task<ColumnVector> ReadJsonAsync(global::Parquet.ParquetRowGroupReader rowGroup, ColumnSource.Nested nested, FieldMatcher matcher,
        CancellationToken cancellationToken)
    {
        var values = await NestedValueAssembler.ReadAsync(rowGroup, nested.Field, nested.Column.Field.Type, matcher, cancellationToken);
        return new ReferenceVector<string>(nested.Column, Array.ConvertAll(values, v => v?.ToJsonString()));
    }

    public void Dispose()
    {
        foreach (var reader in _batched)
        {
            reader?.Dispose();
        }

        _batches?.Dispose();
    }
}
