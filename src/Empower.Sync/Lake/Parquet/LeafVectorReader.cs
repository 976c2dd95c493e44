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
public static class LeafVectorReader
{
    private delegate Task<ColumnVector> VectorRead(ParquetRowGroupReader rowGroup, DataField field, LakeColumn column, int rows, CancellationToken cancellationToken);

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

    private static async Task<ColumnVector> Timestamps(ParquetRowGroupReader rowGroup, DataField field, LakeColumn column, int rows, CancellationToken cancellationToken)
    {
        var timestamps = new DateTime?[rows];
        await rowGroup.ReadAsync<DateTime>(field, timestamps.AsMemory(), null, cancellationToken);
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

    private static async Task<ColumnVector> Strings(ParquetRowGroupReader rowGroup, DataField field, LakeColumn column, int rows, CancellationToken cancellationToken)
    {
        var strings = new string?[rows];
        await rowGroup.ReadAsync(field, strings.AsMemory(), null, cancellationToken);
        return new ReferenceVector<string>(column, strings);
    }

    private static async Task<ColumnVector> Bytes(ParquetRowGroupReader rowGroup, DataField field, LakeColumn column, int rows, CancellationToken cancellationToken)
    {
        var bytes = new byte[]?[rows];
        await rowGroup.ReadAsync(field, bytes.AsMemory(), null, cancellationToken);
        return new ReferenceVector<byte[]>(column, bytes);
    }

    private static async Task<ColumnVector> Typed<T>(ParquetRowGroupReader rowGroup, DataField field, LakeColumn column, int rows, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[rows];
        await rowGroup.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken);
        return new ValueVector<T>(column, values);
    }

    private static async Task<ColumnVector> Converted(ParquetRowGroupReader rowGroup, DataField field, LakeColumn column, int rows, CancellationToken cancellationToken)
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
            LakeColumnType.Timestamp => DateTime.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            LakeColumnType.TimestampNtz => DateTime.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            LakeColumnType.Binary => Convert.FromBase64String(value.GetValue<string>()),
            _ => value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString(),
        };
    }

    // JsonValue only hands out the exact type it was built from, so numbers go through their JSON text.
    private static decimal Number(JsonValue value) => decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static double Floating(JsonValue value) => double.Parse(value.ToJsonString().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture);
}
