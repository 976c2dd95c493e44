using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Schema;

namespace Empower.Dataverse.Emulator.Metadata;

/// <summary>
/// Serves <c>EntityDefinitions</c> the way the Web API shapes EntityMetadata, AttributeMetadata (derived types carry MaxLength,
/// Precision, MinValue/MaxValue, OptionSet, Targets) and EntityKeyMetadata.
/// See https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api.
/// </summary>
public static class EntityMetadataWriter
{
    public static ApiResponse Handle(EmulatorSchema schema, ResourcePath path, ApiRequest request)
    {
        if (request.Method != "GET")
        {
            throw new DataverseException(405, ErrorCodes.InvalidArgument, "The emulator serves EntityDefinitions read-only (GET).");
        }

        if (path.Navigation is { } navigation)
        {
            return DefinitionNavigationReader.Read(Table(schema, path.Key!), navigation, request);
        }

        var query = MetadataQuery.Parse(request, collection: path.Key is null);
        var expand = query.Expand.Keys.ToHashSet(StringComparer.Ordinal);
        string context = $"{request.ServiceRoot}$metadata#EntityDefinitions";
        if (path.Key is null)
        {
            var all = new JsonArray([.. schema.Tables.Select(t => Entity(schema, t, expand)).Where(query.Matches).Select(query.Shape)]);
            return new ApiResponse(200, new JsonObject { ["@odata.context"] = context, ["value"] = all });
        }

        var body = query.Shape(Entity(schema, Table(schema, path.Key), expand));
        body.Insert(0, "@odata.context", $"{context}/$entity");
        return new ApiResponse(200, body);
    }

    /// <summary>The table a definition key (<c>LogicalName='account'</c>) names.</summary>
    private static TableDefinition Table(EmulatorSchema schema, KeySegment key)
    {
        var logicalName = LogicalNameOf(key, "EntityDefinitions(LogicalName='account')");
        return schema.FindByLogicalName(logicalName)
            ?? throw DataverseException.NotFound(ErrorCodes.ObjectDoesNotExist, $"Could not find an entity with name '{logicalName}'.");
    }

    /// <summary>The name in a definition key such as <c>(LogicalName='account')</c>; anything else is refused with an example.</summary>
    internal static string LogicalNameOf(KeySegment key, string example) =>
        key.Values is [{ Key: "LogicalName", Value.Kind: TokenKind.String } only] ? only.Value.Text
            : throw DataverseException.BadRequest(ErrorCodes.InvalidArgument, $"Address it as {example}.");

    public static Guid MetadataId(string name) => new(MD5.HashData(Encoding.UTF8.GetBytes(name)));

    private static JsonObject Entity(EmulatorSchema schema, TableDefinition table, HashSet<string> expand)
    {
        var entity = new JsonObject
        {
            ["MetadataId"] = MetadataId(table.LogicalName).ToString(),
            ["LogicalName"] = table.LogicalName,
            ["SchemaName"] = table.LogicalName,
            ["EntitySetName"] = table.EntitySetName,
            ["LogicalCollectionName"] = table.EntitySetName,
            ["PrimaryIdAttribute"] = table.PrimaryIdAttribute,
            ["PrimaryNameAttribute"] = table.PrimaryNameAttribute,
            ["TableType"] = "Standard",
            ["IsCustomEntity"] = table.LogicalName.Contains('_', StringComparison.Ordinal),
            ["ChangeTrackingEnabled"] = table.ChangeTracking,
            ["DisplayName"] = Label(table.DisplayName ?? table.LogicalName),
        };
        if (expand.Contains("Attributes"))
        {
            entity["Attributes"] = new JsonArray(table.Attributes.Values.Select(a => (JsonNode)Attribute(table, a)).ToArray());
        }

        if (expand.Contains("Keys"))
        {
            entity["Keys"] = new JsonArray(table.Keys.Select(k => (JsonNode)Key(table, k)).ToArray());
        }

        if (expand.Contains("ManyToOneRelationships"))
        {
            entity["ManyToOneRelationships"] = new JsonArray(table.Attributes.Values.Where(a => a.Type == AttributeType.Lookup)
                .Select(a => (JsonNode)new JsonObject
            {
                ["SchemaName"] = $"{table.LogicalName}_{a.LogicalName}",
                ["ReferencingEntity"] = table.LogicalName,
                ["ReferencingAttribute"] = a.LogicalName,
                ["ReferencedEntity"] = a.Target,
                ["ReferencedAttribute"] = schema.FindByLogicalName(a.Target!)!.PrimaryIdAttribute,
                ["ReferencingEntityNavigationPropertyName"] = a.EffectiveNavigationProperty,
            }).ToArray());
        }

        return entity;
    }

    internal static JsonObject Key(TableDefinition table, AlternateKeyDefinition key) => new()
    {
        ["MetadataId"] = MetadataId(table.LogicalName + "." + key.LogicalName).ToString(),
        ["LogicalName"] = key.LogicalName,
        ["SchemaName"] = key.LogicalName,
        ["EntityLogicalName"] = table.LogicalName,
        ["KeyAttributes"] = new JsonArray(key.Attributes.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
        ["EntityKeyIndexStatus"] = "Active",
    };

    /// <summary>The derived AttributeMetadata type an attribute is served as (<c>PicklistAttributeMetadata</c>…).</summary>
    internal static string MetadataType(AttributeDefinition a) => Types(a).OdataType;

    internal static JsonObject Attribute(TableDefinition table, AttributeDefinition a)
    {
        var (odataType, attributeType, typeName) = Types(a);
        var json = new JsonObject
        {
            ["@odata.type"] = "#Microsoft.Dynamics.CRM." + odataType,
            ["MetadataId"] = MetadataId(table.LogicalName + "." + a.LogicalName).ToString(),
            ["LogicalName"] = a.LogicalName,
            ["SchemaName"] = a.EffectiveSchemaName,
            ["EntityLogicalName"] = table.LogicalName,
            ["AttributeType"] = attributeType,
            ["AttributeTypeName"] = new JsonObject { ["Value"] = typeName },
            ["IsPrimaryId"] = a.IsPrimaryId,
            ["IsPrimaryName"] = a.IsPrimaryName,
            ["IsValidForCreate"] = true,
            ["IsValidForUpdate"] = !a.IsPrimaryId,
            ["RequiredLevel"] = new JsonObject { ["Value"] = a.RequiredLevel.ToString() },
            ["DisplayName"] = Label(a.DisplayName ?? a.EffectiveSchemaName),
        };
        if (a.MaxLength is { } maxLength)
        {
            json["MaxLength"] = maxLength;
        }

        if (a.Type is AttributeType.Decimal or AttributeType.Money or AttributeType.Double)
        {
            json["Precision"] = a.Precision;
        }

        if (a.Type is AttributeType.Integer or AttributeType.Decimal or AttributeType.Money or AttributeType.Double)
        {
            json["MinValue"] = a.MinValue;
            json["MaxValue"] = a.MaxValue;
        }

        if (a.Type == AttributeType.DateTime)
        {
            json["Format"] = a.DateTimeBehavior == DateTimeBehavior.DateOnly ? "DateOnly" : "DateAndTime";
            json["DateTimeBehavior"] = new JsonObject { ["Value"] = a.DateTimeBehavior.ToString() };
        }

        if (a.Type == AttributeType.Choice)
        {
            json["OptionSet"] = new JsonObject
            {
                ["MetadataId"] = MetadataId($"{table.LogicalName}.{a.LogicalName}.options").ToString(),
                ["Name"] = $"{table.LogicalName}_{a.LogicalName}",
                ["IsGlobal"] = false,
                ["OptionSetType"] = "Picklist",
                ["Options"] = new JsonArray(a.Options.Select(o => (JsonNode)new JsonObject { ["Value"] = o.Value, ["Label"] = Label(o.Label) }).ToArray()),
            };
        }

        if (a.Type == AttributeType.Lookup)
        {
            json["Targets"] = new JsonArray(JsonValue.Create(a.Target));
        }

        return json;
    }

    private static (string OdataType, string AttributeType, string TypeName) Types(AttributeDefinition a) => a.Type switch
    {
        AttributeType.String => ("StringAttributeMetadata", "String", "StringType"),
        AttributeType.Memo => ("MemoAttributeMetadata", "Memo", "MemoType"),
        AttributeType.Integer => ("IntegerAttributeMetadata", "Integer", "IntegerType"),
        AttributeType.Decimal => ("DecimalAttributeMetadata", "Decimal", "DecimalType"),
        AttributeType.Money => ("MoneyAttributeMetadata", "Money", "MoneyType"),
        AttributeType.Double => ("DoubleAttributeMetadata", "Double", "DoubleType"),
        AttributeType.Boolean => ("BooleanAttributeMetadata", "Boolean", "BooleanType"),
        AttributeType.DateTime => ("DateTimeAttributeMetadata", "DateTime", "DateTimeType"),
        AttributeType.Choice => ("PicklistAttributeMetadata", "Picklist", "PicklistType"),
        AttributeType.Lookup => ("LookupAttributeMetadata", "Lookup", "LookupType"),
        _ => ("UniqueIdentifierAttributeMetadata", "Uniqueidentifier", "UniqueidentifierType"),
    };

    private static JsonObject Label(string text) => new()
    {
        ["LocalizedLabels"] = new JsonArray(new JsonObject { ["Label"] = text, ["LanguageCode"] = 1033 }),
        ["UserLocalizedLabel"] = new JsonObject { ["Label"] = text, ["LanguageCode"] = 1033 },
    };
}
