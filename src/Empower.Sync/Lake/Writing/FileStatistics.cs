using System.Globalization;
using System.Text.Json.Nodes;
using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Lake.Writing;

/// <summary>
/// A data file's per-file statistics as Delta writes them in an <c>add</c> (PROTOCOL.md, "Per-file Statistics"):
/// <c>numRecords</c>, and per column <c>nullCount</c>, <c>minValues</c> and <c>maxValues</c>, so engines skip files by
/// value. Bounds follow Spark's: numbers, dates and timestamps (UTC, milliseconds) exactly, strings by their first
/// 32 characters; booleans have none. Every bound is safe for skipping: a truncated minimum is a prefix (below the
/// value), a string maximum that would need truncating is left out, a timestamp maximum is rounded up to the millisecond.
/// </summary>
internal static class FileStatistics
{
    /// <summary>Characters of a string bound, as Spark's <c>delta.dataSkippingStringPrefixLength</c> default.</summary>
    internal const int StringPrefixLength = 32;

    public static string Of(LakeSchema schema, IReadOnlyList<object?[]> rows)
    {
        var nulls = new JsonObject();
        var minimums = new JsonObject();
        var maximums = new JsonObject();
        for (int c = 0; c < schema.Fields.Count; c++)
        {
            var field = schema.Fields[c];
            var present = rows.Select(r => r[c]).Where(v => v is not null).Select(v => v!).ToList();
            nulls[field.Name] = rows.Count - present.Count;
            if (present.Count == 0 || Bounds(field.Type.Kind, present) is not var (min, max))
            {
                continue;
            }

            minimums[field.Name] = min;
            if (max is not null)
            {
                maximums[field.Name] = max;
            }
        }

        return new JsonObject { ["numRecords"] = rows.Count, ["minValues"] = minimums, ["maxValues"] = maximums, ["nullCount"] = nulls }.ToJsonString();
    }

    private static (JsonNode Min, JsonNode? Max)? Bounds(LakeTypeKind kind, List<object> values)
    {
        switch (kind)
        {
            case LakeTypeKind.Integer or LakeTypeKind.Short or LakeTypeKind.Byte:
                var ints = values.Select(v => Convert.ToInt32(v, CultureInfo.InvariantCulture)).ToList();
                return (ints.Min(), ints.Max());
            case LakeTypeKind.Long:
                var longs = values.Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToList();
                return (longs.Min(), longs.Max());
            case LakeTypeKind.Double or LakeTypeKind.Float:
                var doubles = values.Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToList();
                // JSON has no NaN or infinity, and a NaN is above every bound: no bounds rather than wrong ones.
                return doubles.Any(d => !double.IsFinite(d)) ? null : (doubles.Min(), doubles.Max());
            case LakeTypeKind.Decimal:
                var decimals = values.Select(v => Convert.ToDecimal(v, CultureInfo.InvariantCulture)).ToList();
                return (decimals.Min(), decimals.Max());
            case LakeTypeKind.Date:
                var dates = values.Select(v => v is DateTime t ? DateOnly.FromDateTime(t) : (DateOnly)v).ToList();
                return (Date(dates.Min()), Date(dates.Max()));
            case LakeTypeKind.Timestamp:
                var instants = values.Select(v => v is DateTimeOffset o ? o.UtcDateTime : ((DateTime)v).ToUniversalTime()).ToList();
                var latest = instants.Max();
                var ceiling = new DateTime(latest.Ticks - latest.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
                return (Timestamp(instants.Min()), Timestamp(ceiling < latest ? ceiling.AddMilliseconds(1) : ceiling));
            case LakeTypeKind.String:
                var strings = values.Cast<string>().ToList();
                string min = strings.Aggregate((a, b) => CodePointOrder(a, b) <= 0 ? a : b);
                string max = strings.Aggregate((a, b) => CodePointOrder(a, b) >= 0 ? a : b);
                return (Prefix(min), max.Length <= StringPrefixLength ? max : null);
            default:
                return null;
        }
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Timestamp(DateTime instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Prefix(string value)
    {
        if (value.Length <= StringPrefixLength)
        {
            return value;
        }

        // Never cut a surrogate pair in two: half a character is not a string Spark can compare.
        int length = char.IsHighSurrogate(value[StringPrefixLength - 1]) ? StringPrefixLength - 1 : StringPrefixLength;
        return value[..length];
    }

    /// <summary>Order by Unicode code point, which is UTF-8 byte order, the order Spark compares strings in.</summary>
    internal static int CodePointOrder(string a, string b)
    {
        var left = a.EnumerateRunes();
        var right = b.EnumerateRunes();
        while (true)
        {
            bool moreLeft = left.MoveNext();
            bool moreRight = right.MoveNext();
            if (!moreLeft || !moreRight)
            {
                return moreLeft.CompareTo(moreRight);
            }

            int order = left.Current.Value.CompareTo(right.Current.Value);
            if (order != 0)
            {
                return order;
            }
        }
    }
}
