using System.Globalization;
using System.Text.Json.Nodes;
using Empower.Sync.Lake.Rows;
using Empower.Sync.Lake.Schema;
using Parquet;
using Parquet.Schema;

namespace Empower.Sync.Lake.Parquet;

/// <summary>
/// Reads a non-repeated leaf column (top level or inside structs) into a typed vector. When the file stores the
/// column with the type the table declares, values go straight into the vector's array; otherwise (schema evolution,
/// unsigned or wide decimal storage) each value is converted.
/// </summary>
internal static class LeafVectorReader
{
    private delegate Task<ColumnVector> VectorRead(ParquetRowGroupReader rowGroup, DataField field, LakeColumn column, int rows,
        CancellationToken cancellationToken);

    /// <summary>Column types read straight into their vector when the file stores them as this CLR type.</summary>
    private static readonly Dictionary<LakeColumnType, (Type Stored, VectorRead Read)> Direct = new()
    {
        [LakeColumnType.Boolean] = (typeof(bool), Typed<bool>),
        [LakeColumnType.Byte] = (typeof(sbyte), Typed<sbyte>),
        [LakeColumnType.Short] = (typeof(short), Typed<short>),
        [LakeColumnType.Integer] = (typeof(int), Typed<int>),
        [LakeColumnType.Long] = (typeof(long), Typed<long>),
        [LakeColumnType.Float] = (typeof(float), Typed<float>),
        [LakeColumnType.Double] = (typeof(double), Typed<double>),
        [LakeColumnType.Decimal] = (typeof(decimal), Typed<decimal>),
        [LakeColumnType.Date] = (typeof(DateOnly), Typed<DateOnly>),
        [LakeColumnType.Timestamp] = (typeof(DateTime), Timestamps),
        [LakeColumnType.TimestampNtz] = (typeof(DateTime), Timestamps),
        [LakeColumnType.String] = (typeof(ReadOnlyMemory<char>), Strings),
        [LakeColumnType.Binary] = (typeof(ReadOnlyMemory<byte>), Bytes),
    };

    public static async Task<ColumnVector> ReadAsync(ParquetRowGroupReader rowGroup, DataField field, LakeColumn column, CancellationToken cancellationToken)
    {
        int rows = checked((int)rowGroup.RowCount);
        return Direct.TryGetValue(column.Type, out var direct) && direct.Stored == field.ClrType
            ? await direct.Read(rowGroup, field, column, rows, cancellationToken)
            : await Converted(rowGroup, field, column, rows, cancellationToken);
    }

    private static async Task<ColumnVector> Timestamps(ParquetRowGroupReader rowGroup, DataField field, LakeColumn column, int rows,
        CancellationToken cancellationToken)
    {
        var timestamps = Spread(await ReadStoredAsync<DateTime>(rowGroup, field, rows, cancellationToken));
        var kind = column.Type == LakeColumnType.Timestamp ? DateTimeKind.Utc : DateTimeKind.Unspecified;
        for (int i = 0; i < timestamps.Length; i++)
        {
            if (timestamps[i] is { } t && t.Kind != kind)
            {
                timestamps[i] = t.Kind == DateTimeKind.Local ? DateTime.SpecifyKind(t.ToUniversalTime(), kind) : DateTime.SpecifyKind(t, kind);
            }
        }

        return new ValueVector<DateTime>(column, timestamps);
    }

    private static async Task<ColumnVector> Strings(ParquetRowGroupReader rowGroup, DataField field, LakeColumn column, int rows,
        CancellationToken cancellationToken)
    {
        var stored = await ReadStoredAsync<ReadOnlyMemory<char>>(rowGroup, field, rows, cancellationToken);
        return new ReferenceVector<string>(column, Spread(stored, text => new string(text.Span)));
    }

    private static async Task<ColumnVector> Bytes(ParquetRowGroupReader rowGroup, DataField field, LakeColumn column, int rows,
        CancellationToken cancellationToken)
    {
        var stored = await ReadStoredAsync<ReadOnlyMemory<byte>>(rowGroup, field, rows, cancellationToken);
        return new ReferenceVector<byte[]>(column, Spread(stored, bytes => bytes.ToArray()));
    }

    private static async Task<ColumnVector> Typed<T>(ParquetRowGroupReader rowGroup, DataField field, LakeColumn column, int rows,
        CancellationToken cancellationToken)
        where T : struct =>
        new ValueVector<T>(column, Spread(await ReadStoredAsync<T>(rowGroup, field, rows, cancellationToken)));

    /// <summary>
    /// Reads the stored (non-null) values and the definition levels into arrays of our own. Parquet.Net's nullable
    /// overloads are not used: they take the levels from a pooled array they never clear, even for required columns
    /// whose levels are never read, so leftovers of earlier reads turned required values into nulls; and they treat
    /// only level 0 as null, which is wrong for a leaf inside a struct.
    /// </summary>
    private static async Task<StoredColumn<T>> ReadStoredAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int rows,
        CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T[rows];
        int[]? levels = field.MaxDefinitionLevel > 0 ? new int[rows] : null;
        await rowGroup.ReadRawAsync<T>(field, values, levels is null ? (Memory<int>?)null : levels.AsMemory(), null, cancellationToken);
        return new StoredColumn<T>(values, levels, field.MaxDefinitionLevel);
    }

    private static T?[] Spread<T>(StoredColumn<T> stored)
        where T : struct
    {
        var cells = new T?[stored.Values.Length];
        for (int row = 0, next = 0; row < cells.Length; row++)
        {
            if (stored.IsDefined(row))
            {
                cells[row] = stored.Values[next++];
            }
        }

        return cells;
    }

    private static TCell?[] Spread<T, TCell>(StoredColumn<T> stored, Func<T, TCell> convert)
        where T : struct
        where TCell : class
    {
        var cells = new TCell?[stored.Values.Length];
        for (int row = 0, next = 0; row < cells.Length; row++)
        {
            if (stored.IsDefined(row))
            {
                cells[row] = convert(stored.Values[next++]);
            }
        }

        return cells;
    }

    /// <summary>A column's non-null values in order, and per row its definition level (none when the column is required).</summary>
    private readonly record struct StoredColumn<T>(T[] Values, int[]? Levels, int MaxLevel)
    {
        public bool IsDefined(int row) => Levels is null || Levels[row] == MaxLevel;
    }

    private static async Task<ColumnVector> Converted(ParquetRowGroupReader rowGroup, DataField field, LakeColumn column, int rows,
        CancellationToken cancellationToken)
    {
        using var raw = await rowGroup.ReadRawColumnDataBaseAsync(field, cancellationToken);
        var cursor = new LevelCursor(field, raw);
        var values = new object?[rows];
        for (int i = 0; i < rows; i++)
        {
            values[i] = ConvertCell(cursor.Take(), column);
        }

        return VectorFactory.FromObjects(column, values);
    }

    private static object? ConvertCell(JsonNode? cell, LakeColumn column)
    {
        if (cell is not JsonValue value)
        {
            return null;
        }

        return column.Type switch
        {
            LakeColumnType.Boolean => value.GetValue<bool>(),
            LakeColumnType.Byte => checked((sbyte)Number(value)),
            LakeColumnType.Short => checked((short)Number(value)),
            LakeColumnType.Integer => checked((int)Number(value)),
            LakeColumnType.Long => checked((long)Number(value)),
            LakeColumnType.Float => (float)Floating(value),
            LakeColumnType.Double => Floating(value),
            LakeColumnType.Decimal => Number(value),
            LakeColumnType.Date => DateOnly.ParseExact(value.GetValue<string>()[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture),
            LakeColumnType.Timestamp => DateTime.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            LakeColumnType.TimestampNtz => DateTime.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            LakeColumnType.Binary => Convert.FromBase64String(value.GetValue<string>()),
            _ => value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString(),
        };
    }

    // JsonValue only hands out the exact type it was built from, so numbers go through their JSON text.
    private static decimal Number(JsonValue value) => decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static double Floating(JsonValue value) => double.Parse(value.ToJsonString().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture);
}
