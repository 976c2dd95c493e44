using System.Text.Json;
using System.Text.Json.Serialization;

namespace Empower.Dataverse.Emulator.Schema;

/// <summary>Reads table definitions from the JSON schema format documented in docs/emulator.md.</summary>
public static class SchemaLoader
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static EmulatorSchema LoadDefault()
    {
        using var stream = typeof(SchemaLoader).Assembly.GetManifestResourceStream("Empower.Dataverse.Emulator.default-schema.json")
            ?? throw new InvalidOperationException("The built-in emulator schema resource is missing from the assembly.");
        return Load(stream, "built-in schema");
    }

    public static EmulatorSchema LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new SchemaException($"Emulator schema file '{path}' (setting Emulator:Schema) does not exist.");
        }

        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    public static EmulatorSchema Load(Stream stream, string source)
    {
        SchemaDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<SchemaDocument>(stream, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new SchemaException($"Emulator schema '{source}' is not valid JSON at line {ex.LineNumber + 1}: {ex.Message}", ex);
        }

        if (document?.Tables is not { Count: > 0 })
        {
            throw new SchemaException($"Emulator schema '{source}' defines no tables: expected {{\"tables\": [ ... ]}}.");
        }

        var tables = document.Tables.Select(t => ToTable(t, source)).ToList();
        CheckUnique(tables.Select(t => t.LogicalName), source, "table logical name");
        CheckUnique(tables.Select(t => t.EntitySetName), source, "entity set name");
        var schema = new EmulatorSchema(tables);
        foreach (var lookup in tables.SelectMany(t => t.Attributes.Values.Where(a => a.Type == AttributeType.Lookup).Select(a => (t, a))))
        {
            if (schema.FindByLogicalName(lookup.a.Target!) is null)
            {
                throw new SchemaException($"Emulator schema '{source}': lookup '{lookup.t.LogicalName}.{lookup.a.LogicalName}' targets unknown " +
                    $"table '{lookup.a.Target}'.");
            }
        }

        return schema;
    }

    private static TableDefinition ToTable(TableDocument table, string source)
    {
        string where = $"Emulator schema '{source}', table '{table.LogicalName}'";
        Require(table.LogicalName, $"Emulator schema '{source}': a table has no logicalName.");
        Require(table.EntitySetName, $"{where}: entitySetName is missing.");
        Require(table.PrimaryIdAttribute, $"{where}: primaryIdAttribute is missing.");
        Require(table.PrimaryNameAttribute, $"{where}: primaryNameAttribute is missing.");

        var attributes = new Dictionary<string, AttributeDefinition>(StringComparer.Ordinal)
        {
            [table.PrimaryIdAttribute!] = new AttributeDefinition
            {
                LogicalName = table.PrimaryIdAttribute!,
                Type = AttributeType.UniqueIdentifier,
                IsPrimaryId = true,
                RequiredLevel = RequiredLevel.SystemRequired,
            },
        };

        foreach (var attribute in table.Attributes ?? [])
        {
            Require(attribute.LogicalName, $"{where}: an attribute has no logicalName.");
            if (attribute.Type is null)
            {
                throw new SchemaException($"{where}, attribute '{attribute.LogicalName}': type is missing (one of " +
                    $"{string.Join(", ", Enum.GetNames<AttributeType>())}).");
            }

            if (attributes.ContainsKey(attribute.LogicalName!))
            {
                throw new SchemaException($"{where}: attribute '{attribute.LogicalName}' is defined twice.");
            }

            attributes[attribute.LogicalName!] = ToAttribute(attribute, table.PrimaryNameAttribute!, $"{where}, attribute '{attribute.LogicalName}'");
        }

        if (!attributes.ContainsKey(table.PrimaryNameAttribute!))
        {
            throw new SchemaException($"{where}: primaryNameAttribute '{table.PrimaryNameAttribute}' is not among its attributes.");
        }

        var keys = new List<AlternateKeyDefinition>();
        foreach (var key in table.Keys ?? [])
        {
            Require(key.LogicalName, $"{where}: an alternate key has no logicalName.");
            if (key.Attributes is not { Count: > 0 })
            {
                throw new SchemaException($"{where}, key '{key.LogicalName}': attributes are missing.");
            }

            foreach (var name in key.Attributes)
            {
                var attribute = attributes.GetValueOrDefault(name)
                    ?? throw new SchemaException($"{where}, key '{key.LogicalName}': attribute '{name}' is not defined.");
                // Dataverse allows decimal, whole number, single-line text, date/time, lookup and choice columns in keys.
                if (attribute.Type is not (AttributeType.String or AttributeType.Integer or AttributeType.Decimal
                    or AttributeType.DateTime or AttributeType.Lookup or AttributeType.Choice))
                {
                    throw new SchemaException($"{where}, key '{key.LogicalName}': attribute '{name}' of type {attribute.Type} cannot be " +
                        $"part of an alternate key.");
                }
            }

            keys.Add(new AlternateKeyDefinition(key.LogicalName!, key.Attributes));
        }

        return new TableDefinition
        {
            LogicalName = table.LogicalName!,
            EntitySetName = table.EntitySetName!,
            DisplayName = table.DisplayName,
            PrimaryIdAttribute = table.PrimaryIdAttribute!,
            PrimaryNameAttribute = table.PrimaryNameAttribute!,
            Attributes = attributes,
            Keys = keys,
            ChangeTracking = table.ChangeTracking ?? false,
        };
    }

    private static AttributeDefinition ToAttribute(AttributeDocument a, string primaryName, string where)
    {
        var type = a.Type!.Value;
        if (type is AttributeType.String or AttributeType.Memo && a.MaxLength is null or <= 0)
        {
            throw new SchemaException($"{where}: {type} attributes need a positive maxLength.");
        }

        if (type == AttributeType.Lookup && string.IsNullOrEmpty(a.Target))
        {
            throw new SchemaException($"{where}: lookup attributes need a target table.");
        }

        if (type == AttributeType.Choice && a.Options is not { Count: > 0 })
        {
            throw new SchemaException($"{where}: choice attributes need options ([{{\"value\": 1, \"label\": \"...\"}}]).");
        }

        return new AttributeDefinition
        {
            LogicalName = a.LogicalName!,
            SchemaName = a.SchemaName,
            DisplayName = a.DisplayName,
            Type = type,
            RequiredLevel = a.RequiredLevel ?? RequiredLevel.None,
            MaxLength = a.MaxLength,
            Precision = a.Precision ?? type switch
            {
                AttributeType.Money => 2,
                AttributeType.Decimal => 2,
                AttributeType.Double => 5,
                _ => null,
            },
            MinValue = a.MinValue ?? DefaultMin(type),
            MaxValue = a.MaxValue ?? DefaultMax(type),
            DateTimeBehavior = a.DateTimeBehavior ?? DateTimeBehavior.UserLocal,
            Options = a.Options?.Select(o => new ChoiceOption(o.Value,
                o.Label ?? o.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList() ?? [],
            Target = a.Target,
            NavigationProperty = a.NavigationProperty,
            IsPrimaryName = a.LogicalName == primaryName,
        };
    }

    // Dataverse's documented ranges for each numeric attribute type.
    private static decimal? DefaultMin(AttributeType type) => type switch
    {
        AttributeType.Integer => int.MinValue,
        AttributeType.Decimal => -100_000_000_000m,
        AttributeType.Money => -922_337_203_685_477m,
        AttributeType.Double => -100_000_000_000m,
        _ => null,
    };

    private static decimal? DefaultMax(AttributeType type) => type switch
    {
        AttributeType.Integer => int.MaxValue,
        AttributeType.Decimal => 100_000_000_000m,
        AttributeType.Money => 922_337_203_685_477m,
        AttributeType.Double => 100_000_000_000m,
        _ => null,
    };

    private static void Require(string? value, string message)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new SchemaException(message);
        }

        // Names become SQL identifiers and URL segments: keep them to what Dataverse allows in logical names.
        if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(value[0]))
        {
            throw new SchemaException($"{message.Split(':')[0]}: '{value}' is not a valid name (letters, digits and '_', not starting with a digit).");
        }
    }

    private static void CheckUnique(IEnumerable<string> names, string source, string what)
    {
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new SchemaException($"Emulator schema '{source}': {what} '{duplicate.Key}' is used twice.");
        }
    }

    private sealed record SchemaDocument(List<TableDocument>? Tables);

    private sealed record TableDocument(
        string? LogicalName, string? EntitySetName, string? DisplayName, string? PrimaryIdAttribute, string? PrimaryNameAttribute,
        List<AttributeDocument>? Attributes, List<KeyDocument>? Keys, bool? ChangeTracking);

    private sealed record AttributeDocument(
        string? LogicalName, string? SchemaName, string? DisplayName, AttributeType? Type, RequiredLevel? RequiredLevel, int? MaxLength,
        int? Precision, decimal? MinValue, decimal? MaxValue, DateTimeBehavior? DateTimeBehavior, List<OptionDocument>? Options,
        string? Target, string? NavigationProperty);

    private sealed record OptionDocument(int Value, string? Label);

    private sealed record KeyDocument(string? LogicalName, List<string>? Attributes);
}
