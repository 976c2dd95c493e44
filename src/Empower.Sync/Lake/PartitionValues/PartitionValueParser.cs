using System.Globalization;
using System.Text;
using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Lake.PartitionValues;

/// <summary>
/// Turns a partition value as Delta (or a Hive folder name) writes it into a typed value. Zone-less timestamps are
/// read in the writer's session time zone (<see cref="LakeReadOptions.PartitionTimeZone"/>), as Spark wrote them.
/// </summary>
internal static class PartitionValueParser
{
    public const string HiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

    private static readonly string[] LocalTimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    ];

    public static object? Parse(string? raw, LakeColumn column, TimeZoneInfo timeZone, string file)
    {
        if (raw is null || raw == HiveDefaultPartition || (raw.Length == 0 && column.Type != LakeColumnType.String))
        {
            return null;
        }

        try
        {
            var invariant = CultureInfo.InvariantCulture;
            return column.Type switch
            {
                LakeColumnType.String => raw,
                LakeColumnType.Boolean => bool.Parse(raw),
                LakeColumnType.Byte => sbyte.Parse(raw, invariant),
                LakeColumnType.Short => short.Parse(raw, invariant),
                LakeColumnType.Integer => int.Parse(raw, invariant),
                LakeColumnType.Long => long.Parse(raw, invariant),
                LakeColumnType.Float => float.Parse(raw, NumberStyles.Float, invariant),
                LakeColumnType.Double => double.Parse(raw, NumberStyles.Float, invariant),
                LakeColumnType.Decimal => decimal.Parse(raw, NumberStyles.Float, invariant),
                LakeColumnType.Date => DateOnly.ParseExact(raw, "yyyy-MM-dd", invariant),
                LakeColumnType.Timestamp => ParseTimestamp(raw, timeZone),
                LakeColumnType.TimestampNtz => DateTime.ParseExact(raw, LocalTimestampFormats, invariant, DateTimeStyles.None),
                LakeColumnType.Binary => Encoding.UTF8.GetBytes(raw),
                _ => throw new FormatException($"a {column.TypeName} column cannot be a partition column"),
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw new LakeFormatException(LakeErrorKind.SchemaMismatch,
                $"The partition value '{raw}' of column '{column.Name}' ({column.TypeName}) for {file} cannot be read: {ex.Message}", ex);
        }
    }

    private static DateTime ParseTimestamp(string raw, TimeZoneInfo timeZone)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (raw.EndsWith('Z') || raw.Length > 19 && (raw[^6] == '+' || raw[^6] == '-'))
        {
            return DateTimeOffset.Parse(raw, invariant).UtcDateTime;
        }

        var local = DateTime.ParseExact(raw, LocalTimestampFormats, invariant, DateTimeStyles.None);
        return TimeZoneInfo.ConvertTimeToUtc(local, timeZone);
    }
}
