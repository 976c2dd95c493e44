using System.Globalization;
using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Lake.Rows;

namespace Empower.Sync.Mapping;

/// <summary>
/// Turns one source value into the Web API value of an attribute, or says why it cannot: text over the attribute's
/// length, numbers out of its range (NaN and infinities included: JSON and Dataverse hold neither), a label that is no
/// choice, text with U+FFFD (what the reader makes of bytes that are not UTF-8), dates Dataverse cannot hold. Decimals
/// are rounded to the attribute's precision; timestamps are sent in UTC (zone-less ones are taken as UTC); date-only
/// attributes get the date.
/// </summary>
internal static class ValueConverter
{
    /// <summary>The range of Dataverse's DateTime columns (SQL Server <c>datetime</c>).</summary>
    public static readonly DateTime MinDate = new(1753, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static (JsonNode? Value, string? Error) Convert(object value, AttributeMap map)
    {
        var attribute = map.Attribute;
        try
        {
            if (map.IsLookup)
            {
                if (value is string s && InvalidText(s, attribute) is { } invalid)
                {
                    return (null, invalid);
                }

                string literal = value is string text ? $"'{text.Replace("'", "''", StringComparison.Ordinal)}'" : Text(value);
                return (JsonValue.Create($"/{map.BindEntitySet}({map.BindKey}={literal})"), null);
            }

            return attribute.AttributeType switch
            {
                "String" or "Memo" => ToText(value, attribute),
                "Integer" => InRange(ToDecimal(value), attribute, integral: true) is { } e ? (null, e)
                    : (JsonValue.Create(checked((int)ToDecimal(value))), null),
                "BigInt" => (JsonValue.Create(checked((long)ToDecimal(value))), null),
                "Decimal" or "Money" => ToNumber(value, attribute),
                "Double" => ToDouble(value, attribute),
                "Boolean" => (JsonValue.Create(ToBoolean(value)), null),
                "DateTime" => ToDate(value, attribute),
                "Picklist" or "State" or "Status" => ToChoice(value, map),
                "Uniqueidentifier" => (JsonValue.Create(Guid.Parse(Text(value)).ToString("D")), null),
                _ => (null, $"attribute '{attribute.LogicalName}' has the type {attribute.AttributeType}, which Empower does not write"),
            };
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            return (null, $"the value '{Text(value)}' cannot be converted to {attribute.AttributeType} for attribute '{attribute.LogicalName}': {ex.Message}");
        }
    }

    private static (JsonNode?, string?) ToText(object value, AttributeMetadata attribute)
    {
        string text = Text(value);
        if (InvalidText(text, attribute) is { } invalid)
        {
            return (null, invalid);
        }

        return attribute.MaxLength is { } max && text.Length > max
            ? (null, $"the value has {text.Length} characters; attribute '{attribute.LogicalName}' holds at most {max}")
            : (JsonValue.Create(text), null);
    }

    // Parquet readers turn bytes that are not UTF-8 into U+FFFD: sending that would silently store different text.
    private static string? InvalidText(string text, AttributeMetadata attribute)
    {
        int at = text.IndexOf('\uFFFD', StringComparison.Ordinal);
        return at < 0
            ? null
            : $"the text holds U+FFFD (the replacement character) at character {at}: the value in the file is not valid UTF-8, or was damaged before it " +
                $"reached the lake; attribute '{attribute.LogicalName}' would store different text";
    }

    private static (JsonNode?, string?) ToDouble(object value, AttributeMetadata attribute)
    {
        double number = System.Convert.ToDouble(value is string t ? double.Parse(t, CultureInfo.InvariantCulture) : value, CultureInfo.InvariantCulture);
        if (!double.IsFinite(number))
        {
            return (null, $"the value {number.ToString(CultureInfo.InvariantCulture)} is not a finite number; attribute '{attribute.LogicalName}' (Double) " +
                $"holds only finite numbers, and JSON has no NaN or infinity");
        }

        if (attribute.Precision is { } precision)
        {
            number = Math.Round(number, Math.Min(precision, 15), MidpointRounding.AwayFromZero);
        }

        bool outside = number < (double)(attribute.MinValue ?? decimal.MinValue) || number > (double)(attribute.MaxValue ?? decimal.MaxValue);
        return outside
            ? (null, $"the value {number.ToString(CultureInfo.InvariantCulture)} is outside {attribute.MinValue}..{attribute.MaxValue}, the range of " +
                $"attribute '{attribute.LogicalName}'")
            : (JsonValue.Create(number), null);
    }

    private static (JsonNode?, string?) ToNumber(object value, AttributeMetadata attribute)
    {
        decimal number = ToDecimal(value);
        if (attribute.Precision is { } precision)
        {
            number = Math.Round(number, precision, MidpointRounding.AwayFromZero);
        }

        return InRange(number, attribute, integral: false) is { } error ? (null, error) : (JsonValue.Create(number), null);
    }

    private static string? InRange(decimal number, AttributeMetadata attribute, bool integral)
    {
        if (integral && number != decimal.Truncate(number))
        {
            return $"the value {number} is not a whole number; attribute '{attribute.LogicalName}' is an integer";
        }

        return number < attribute.MinValue || number > attribute.MaxValue
            ? $"the value {number} is outside {attribute.MinValue}..{attribute.MaxValue}, the range of attribute '{attribute.LogicalName}'"
            : null;
    }

    private static (JsonNode?, string?) ToDate(object value, AttributeMetadata attribute)
    {
        DateTime utc = value switch
        {
            DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            DateTime t => t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc),
            DateTimeOffset o => o.UtcDateTime,
            _ => DateTime.Parse(Text(value), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
        };
        if (utc < MinDate)
        {
            return (null, $"the date {utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} is before 1753-01-01, the earliest date attribute " +
                $"'{attribute.LogicalName}' can hold");
        }

        return attribute.DateTimeBehavior == "DateOnly"
            ? (JsonValue.Create(utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), null)
            : (JsonValue.Create(utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)), null);
    }

    private static (JsonNode?, string?) ToChoice(object value, AttributeMap map)
    {
        var attribute = map.Attribute;
        int? choice = value switch
        {
            string label when map.Choices is not null => map.Choices.TryGetValue(label, out int mapped) ? mapped : null,
            string label => attribute.Options.FirstOrDefault(o => string.Equals(o.Label, label, StringComparison.OrdinalIgnoreCase))?.Value,
            _ => (int)ToDecimal(value),
        };
        return choice is { } v && attribute.Options.Any(o => o.Value == v)
            ? (JsonValue.Create(v), null)
            : (null, $"'{Text(value)}' is not a choice of attribute '{attribute.LogicalName}' (choices: " +
                $"{string.Join(", ", attribute.Options.Select(o => $"{o.Value} = {o.Label}"))})");
    }

    private static bool ToBoolean(object value) => value switch
    {
        bool b => b,
        string s => bool.Parse(s),
        _ => ToDecimal(value) != 0,
    };

    private static decimal ToDecimal(object value) => value switch
    {
        decimal d => d,
        string s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
        float or double => (decimal)System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => System.Convert.ToDecimal(value, CultureInfo.InvariantCulture),
    };

    public static string Text(object value) => CellText.Format(value);
}
