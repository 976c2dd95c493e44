using System.Globalization;
using System.Text.Json.Nodes;
using Empower.Sync.Lake.Rows;
using Parquet.Data;

namespace Empower.Sync.Lake.Parquet;

/// <summary>Renders one Parquet value inside an array or map as JSON (dates as ISO text, binary as base64).</summary>
internal static class JsonCellConverter
{
    public static JsonNode?[] Convert(RawColumnData raw) => raw switch
    {
        RawColumnData<bool> r => Map(r.Values, v => JsonValue.Create(v)),
        RawColumnData<sbyte> r => Map(r.Values, v => JsonValue.Create(v)),
        RawColumnData<byte> r => Map(r.Values, v => JsonValue.Create(v)),
        RawColumnData<short> r => Map(r.Values, v => JsonValue.Create(v)),
        RawColumnData<ushort> r => Map(r.Values, v => JsonValue.Create(v)),
        RawColumnData<int> r => Map(r.Values, v => JsonValue.Create(v)),
        RawColumnData<uint> r => Map(r.Values, v => JsonValue.Create(v)),
        RawColumnData<long> r => Map(r.Values, v => JsonValue.Create(v)),
        RawColumnData<ulong> r => Map(r.Values, v => JsonValue.Create(v)),
        RawColumnData<float> r => Map(r.Values, v => float.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(v.ToString(CultureInfo.InvariantCulture))),
        RawColumnData<double> r => Map(r.Values, v => double.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(v.ToString(CultureInfo.InvariantCulture))),
        RawColumnData<decimal> r => Map(r.Values, v => JsonValue.Create(v)),
        RawColumnData<BigDecimal> r => Map(r.Values, v => JsonValue.Create(DecimalConverter.ToDecimal(v.UnscaledValue, v.Scale))),
        RawColumnData<DateOnly> r => Map(r.Values, v => JsonValue.Create(v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
        RawColumnData<DateTime> r => Map(r.Values, v => JsonValue.Create(CellText.Timestamp(v))),
        RawColumnData<ReadOnlyMemory<char>> r => Map(r.Values, v => JsonValue.Create(v.ToString())),
        RawColumnData<ReadOnlyMemory<byte>> r => Map(r.Values, v => JsonValue.Create(System.Convert.ToBase64String(v.Span))),
        RawColumnData<Guid> r => Map(r.Values, v => JsonValue.Create(v.ToString())),
        _ => throw new NotSupportedException($"Parquet values of type {raw.GetType().GenericTypeArguments.FirstOrDefault()?.Name} cannot be rendered as JSON."),
    };

    private static JsonNode?[] Map<T>(Span<T> values, Func<T, JsonNode?> convert)
    {
        var result = new JsonNode?[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = convert(values[i]);
        }

        return result;
    }
}
