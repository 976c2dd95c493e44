using System.Globalization;
using System.Text.Json;

namespace Empower.Sync.Lake.Schema;

/// <summary>Reads a Delta <c>schemaString</c> (Spark's StructType JSON) into a <see cref="LakeSchema"/>.</summary>
internal static class DeltaSchemaParser
{
    private const string PhysicalNameKey = "delta.columnMapping.physicalName";
    private const string FieldIdKey = "delta.columnMapping.id";

    public static LakeSchema Parse(string schemaString, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(schemaString);
            return new LakeSchema(ParseFields(document.RootElement, source));
        }
        catch (JsonException ex)
        {
            throw new LakeFormatException(LakeErrorKind.CorruptCommit, $"The table schema in {source} is not valid JSON: {ex.Message}", ex);
        }
    }

    private static List<LakeField> ParseFields(JsonElement structType, string source)
    {
        if (!structType.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Array)
        {
            throw new LakeFormatException(LakeErrorKind.CorruptCommit, $"The table schema in {source} has a struct without a 'fields' array.");
        }

        return fields.EnumerateArray().Select(f => ParseField(f, source)).ToList();
    }

    private static LakeField ParseField(JsonElement field, string source)
    {
        string name = field.GetProperty("name").GetString()!;
        var type = ParseType(field.GetProperty("type"), source, name);
        bool nullable = !field.TryGetProperty("nullable", out var n) || n.GetBoolean();
        string physicalName = name;
        int? fieldId = null;
        if (field.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            if (metadata.TryGetProperty(PhysicalNameKey, out var physical))
            {
                physicalName = physical.GetString()!;
            }

            if (metadata.TryGetProperty(FieldIdKey, out var id))
            {
                fieldId = id.GetInt32();
            }
        }

        return new LakeField(name, type, nullable, physicalName, fieldId);
    }

    private static LakeDataType ParseType(JsonElement type, string source, string fieldName)
    {
        if (type.ValueKind == JsonValueKind.String)
        {
            return ParsePrimitive(type.GetString()!, source, fieldName);
        }

        string kind = type.GetProperty("type").GetString()!;
        return kind switch
        {
            "struct" => new LakeDataType(LakeTypeKind.Struct, Fields: ParseFields(type, source)),
            "array" => new LakeDataType(LakeTypeKind.Array, Element: ParseType(type.GetProperty("elementType"), source, fieldName)),
            "map" => new LakeDataType(
                LakeTypeKind.Map,
                Key: ParseType(type.GetProperty("keyType"), source, fieldName),
                Value: ParseType(type.GetProperty("valueType"), source, fieldName)),
            _ => throw new LakeFormatException(LakeErrorKind.UnsupportedFeature,
                $"The column '{fieldName}' in {source} has the type '{kind}', which Empower cannot read."),
        };
    }

    private static LakeDataType ParsePrimitive(string name, string source, string fieldName)
    {
        if (name.StartsWith("decimal", StringComparison.Ordinal))
        {
            var parts = name["decimal".Length..].Trim('(', ')').Split(',');
            return parts.Length == 2
                ? LakeDataType.Decimal(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture))
                : LakeDataType.Decimal(10, 0);
        }

        LakeTypeKind? kind = name switch
        {
            "boolean" => LakeTypeKind.Boolean,
            "byte" => LakeTypeKind.Byte,
            "short" => LakeTypeKind.Short,
            "integer" => LakeTypeKind.Integer,
            "long" => LakeTypeKind.Long,
            "float" => LakeTypeKind.Float,
            "double" => LakeTypeKind.Double,
            "string" => LakeTypeKind.String,
            "binary" => LakeTypeKind.Binary,
            "date" => LakeTypeKind.Date,
            "timestamp" => LakeTypeKind.Timestamp,
            "timestamp_ntz" => LakeTypeKind.TimestampNtz,
            _ => null,
        };
        return kind is { } k
            ? LakeDataType.Primitive(k)
            : throw new LakeFormatException(LakeErrorKind.UnsupportedFeature,
                $"The column '{fieldName}' in {source} has the type '{name}', which Empower cannot read.");
    }
}
