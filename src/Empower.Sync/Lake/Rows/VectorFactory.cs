using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Lake.Rows;

/// <summary>Builds typed vectors from boxed values: partition columns (one value repeated) and conversions off the hot path.</summary>
internal static class VectorFactory
{
    public static ColumnVector Constant(LakeColumn column, object? value, int length)
    {
        var values = new object?[length];
        Array.Fill(values, value);
        return FromObjects(column, values);
    }

    public static ColumnVector FromObjects(LakeColumn column, object?[] values) => column.Type switch
    {
        LakeColumnType.Boolean => Values<bool>(column, values),
        LakeColumnType.Byte => Values<sbyte>(column, values),
        LakeColumnType.Short => Values<short>(column, values),
        LakeColumnType.Integer => Values<int>(column, values),
        LakeColumnType.Long => Values<long>(column, values),
        LakeColumnType.Float => Values<float>(column, values),
        LakeColumnType.Double => Values<double>(column, values),
        LakeColumnType.Decimal => Values<decimal>(column, values),
        LakeColumnType.Date => Values<DateOnly>(column, values),
        LakeColumnType.Timestamp or LakeColumnType.TimestampNtz => Values<DateTime>(column, values),
        LakeColumnType.Binary => new ReferenceVector<byte[]>(column, Array.ConvertAll(values, v => (byte[]?)v)),
        _ => new ReferenceVector<string>(column, Array.ConvertAll(values, v => (string?)v)),
    };

    private static ValueVector<T> Values<T>(LakeColumn column, object?[] values)
        where T : struct => new(column, Array.ConvertAll(values, v => v is null ? (T?)null : (T)v));
}
