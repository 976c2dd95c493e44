using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Protocol;

namespace Empower.Dataverse.Emulator.Schema;

/// <summary>
/// Converts attribute values between JSON payloads, URL literals and their stored form (string, long, double), enforcing
/// the type, length, range and choice rules Dataverse enforces, with its error codes.
/// </summary>
public static class ValueCodec
{
    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";
    private const string DateOnlyFormat = "yyyy-MM-dd";

    public static string EdmType(AttributeDefinition attribute) => attribute.Type switch
    {
        AttributeType.String or AttributeType.Memo => "Edm.String",
        AttributeType.Integer or AttributeType.Choice => "Edm.Int32",
        AttributeType.Decimal or AttributeType.Money => "Edm.Decimal",
        AttributeType.Double => "Edm.Double",
        AttributeType.Boolean => "Edm.Boolean",
        AttributeType.DateTime => attribute.DateTimeBehavior == DateTimeBehavior.DateOnly ? "Edm.Date" : "Edm.DateTimeOffset",
        _ => "Edm.Guid",
    };

    /// <summary>A JSON string as text; an escaped lone surrogate (<c>"\ud800"</c>) is no text Dataverse can store: 400, not 500.</summary>
    private static string Text(JsonElement value, AttributeDefinition attribute)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw DataverseException.BadRequest(ErrorCodes.PayloadError,
                $"The value of '{attribute.LogicalName}' is not valid text: it holds an unpaired UTF-16 surrogate (such as \\ud800).");
        }
    }

    /// <summary>Converts a JSON payload value; <c>null</c> clears the attribute.</summary>
    public static object? FromJson(TableDefinition table, AttributeDefinition attribute, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        object? converted = attribute.Type switch
        {
            AttributeType.String or AttributeType.Memo => value.ValueKind == JsonValueKind.String ? Text(value, attribute) : Mismatch(),
            AttributeType.Integer or AttributeType.Choice => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long l) ? l : Mismatch(),
            AttributeType.Decimal or AttributeType.Money => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal d) ? d : Mismatch(),
            AttributeType.Double => value.ValueKind == JsonValueKind.Number ? value.GetDouble() : Mismatch(),
            AttributeType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : Mismatch(),
            AttributeType.DateTime or AttributeType.UniqueIdentifier => value.ValueKind == JsonValueKind.String ? value.GetString() : Mismatch(),
            _ => Mismatch(),
        };
        return Validate(table, attribute, converted!, value.GetRawText());

        object? Mismatch() => throw TypeMismatch(table, attribute, value.GetRawText());
    }

    /// <summary>Converts a literal from a key segment or <c>$filter</c>.</summary>
    public static object? FromLiteral(TableDefinition table, AttributeDefinition attribute, Token literal)
    {
        if (literal.Kind == TokenKind.Identifier && literal.Text == "null")
        {
            return null;
        }

        object converted = (attribute.Type, literal.Kind) switch
        {
            (AttributeType.String or AttributeType.Memo, TokenKind.String) => literal.Text,
            (AttributeType.Integer or AttributeType.Choice, TokenKind.Number) when long.TryParse(literal.Text, NumberStyles.Integer,
                CultureInfo.InvariantCulture, out long l) => l,
            (AttributeType.Decimal or AttributeType.Money, TokenKind.Number) when decimal.TryParse(literal.Text.TrimEnd('m', 'M'), NumberStyles.Float,
                CultureInfo.InvariantCulture, out decimal d) => d,
            (AttributeType.Double, TokenKind.Number) when double.TryParse(literal.Text.TrimEnd('d', 'D', 'f', 'F'), NumberStyles.Float,
                CultureInfo.InvariantCulture, out double x) => x,
            (AttributeType.Boolean, TokenKind.Identifier) when literal.Text is "true" or "false" => literal.Text == "true",
            (AttributeType.DateTime, TokenKind.DateTime or TokenKind.String) => literal.Text,
            (AttributeType.UniqueIdentifier or AttributeType.Lookup, TokenKind.Guid or TokenKind.String) => literal.Text,
            _ => throw TypeMismatch(table, attribute, literal.Kind == TokenKind.String ? $"'{literal.Text}'" : literal.Text),
        };

        // Lookups are compared by id in filters and keys; the id format is checked like a uniqueidentifier.
        var asAttribute = attribute.Type == AttributeType.Lookup ? new AttributeDefinition { LogicalName = attribute.LogicalName,
            Type = AttributeType.UniqueIdentifier } : attribute;
        return Validate(table, asAttribute, converted, literal.Text);
    }

    /// <summary>Writes a stored value as the Web API returns it.</summary>
    public static JsonNode? ToJson(AttributeDefinition attribute, object? stored) => stored switch
    {
        null => null,
        _ => attribute.Type switch
        {
            AttributeType.Integer or AttributeType.Choice => JsonValue.Create(Convert.ToInt64(stored, CultureInfo.InvariantCulture)),
            AttributeType.Decimal or AttributeType.Money => JsonValue.Create(decimal.Parse((string)stored, CultureInfo.InvariantCulture)),
            AttributeType.Double => JsonValue.Create(Convert.ToDouble(stored, CultureInfo.InvariantCulture)),
            AttributeType.Boolean => JsonValue.Create(Convert.ToInt64(stored, CultureInfo.InvariantCulture) != 0),
            _ => JsonValue.Create((string)stored),
        },
    };

    public static DataverseException TypeMismatch(TableDefinition table, AttributeDefinition attribute, string raw) =>
        DataverseException.BadRequest(ErrorCodes.PayloadError,
            $"Error identified in Payload provided by the user for Entity :'{table.EntitySetName}' ----> Cannot convert the literal {Truncate(raw)} to the " +
                $"expected type '{EdmType(attribute)}' for attribute '{attribute.LogicalName}'.");

    private static object Validate(TableDefinition table, AttributeDefinition attribute, object value, string raw)
    {
        switch (attribute.Type)
        {
            case AttributeType.String or AttributeType.Memo:
                var text = (string)value;
                if (text.Length > attribute.MaxLength)
                {
                    throw DataverseException.BadRequest(ErrorCodes.StringLengthTooLong,
                        $"A validation error occurred. The length of the '{attribute.LogicalName}' attribute of the '{table.LogicalName}' entity exceeded " +
                            $"the maximum allowed length of '{attribute.MaxLength}'.");
                }

                return text;
            case AttributeType.Integer:
                CheckRange(table, attribute, (long)value);
                return value;
            case AttributeType.Choice:
                long choice = (long)value;
                if (attribute.Options.All(o => o.Value != choice))
                {
                    throw DataverseException.BadRequest(ErrorCodes.ValueOutOfRange,
                        $"A validation error occurred. The value {choice} of '{attribute.LogicalName}' on record of type '{table.LogicalName}' is outside " +
                            $"the valid range. Accepted Values: {string.Join(",", attribute.Options.Select(o => o.Value))}");
                }

                return choice;
            case AttributeType.Decimal or AttributeType.Money:
                decimal number = Math.Round((decimal)value, attribute.Precision ?? 2, MidpointRounding.AwayFromZero);
                CheckRange(table, attribute, number);
                return number.ToString("F" + (attribute.Precision ?? 2).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            case AttributeType.Double:
                double real = Math.Round((double)value, Math.Min(attribute.Precision ?? 5, 15), MidpointRounding.AwayFromZero);
                if (!double.IsFinite(real))
                {
                    throw TypeMismatch(table, attribute, raw);
                }

                CheckRange(table, attribute, (decimal)real);
                return real;
            case AttributeType.Boolean:
                return (bool)value ? 1L : 0L;
            case AttributeType.DateTime:
                return NormalizeDateTime(table, attribute, (string)value, raw);
            default:
                return Guid.TryParse((string)value, out var id) && id != Guid.Empty
                    ? id.ToString("D")
                    : throw TypeMismatch(table, attribute, raw);
        }
    }

    private static string NormalizeDateTime(TableDefinition table, AttributeDefinition attribute, string text, string raw)
    {
        if (attribute.DateTimeBehavior == DateTimeBehavior.DateOnly)
        {
            if (DateOnly.TryParseExact(text, DateOnlyFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date.ToString(DateOnlyFormat, CultureInfo.InvariantCulture);
            }

            // Dataverse accepts a date-time for a date-only column and keeps the date part.
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dateTime))
            {
                return dateTime.ToString(DateOnlyFormat, CultureInfo.InvariantCulture);
            }

            throw TypeMismatch(table, attribute, raw);
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            throw TypeMismatch(table, attribute, raw);
        }

        if (instant.Year < 1753)
        {
            throw DataverseException.BadRequest(ErrorCodes.ValueOutOfRange,
                $"A validation error occurred. The value {text} of '{attribute.LogicalName}' on record of type '{table.LogicalName}' is outside the valid " +
                    $"range: dates start at 1753-01-01.");
        }

        // Dataverse stores date-times to the second.
        var seconds = new DateTimeOffset(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return seconds.ToString(DateTimeFormat, CultureInfo.InvariantCulture);
    }

    private static void CheckRange(TableDefinition table, AttributeDefinition attribute, decimal value)
    {
        if (value < attribute.MinValue || value > attribute.MaxValue)
        {
            throw DataverseException.BadRequest(ErrorCodes.ValueOutOfRange,
                $"A validation error occurred. The value {value.ToString(CultureInfo.InvariantCulture)} of '{attribute.LogicalName}' on record of type " +
                    $"'{table.LogicalName}' is outside the valid range. Accepted Values: {attribute.MinValue?.ToString(CultureInfo.InvariantCulture)} to " +
                    $"{attribute.MaxValue?.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private static string Truncate(string raw) => raw.Length <= 100 ? raw : raw[..100] + "…";
}
