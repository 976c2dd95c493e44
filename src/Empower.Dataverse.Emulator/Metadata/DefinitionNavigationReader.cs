using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Schema;

namespace Empower.Dataverse.Emulator.Metadata;

/// <summary>
/// Serves a table definition's <c>Attributes</c> and <c>Keys</c> as navigation paths, with the typed casts clients use to read
/// derived properties (<c>…/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$expand=OptionSet</c>), as Microsoft's
/// "Query table definitions using the Web API" shows. <c>OptionSet</c> is a navigation property there: it comes only when expanded,
/// and only on the choice types. Query options other than <c>$select</c> and that <c>$expand</c> answer 400.
/// </summary>
internal static partial class DefinitionNavigationReader
{
    // AttributeMetadata's derived types in Microsoft's metadata reference; a cast to one the schema has no attribute of is empty.
    private static readonly HashSet<string> AttributeTypes =
    [
        "BigIntAttributeMetadata", "BooleanAttributeMetadata", "DateTimeAttributeMetadata", "DecimalAttributeMetadata", "DoubleAttributeMetadata",
        "EntityNameAttributeMetadata", "FileAttributeMetadata", "ImageAttributeMetadata", "IntegerAttributeMetadata", "LookupAttributeMetadata",
        "ManagedPropertyAttributeMetadata", "MemoAttributeMetadata", "MoneyAttributeMetadata", "MultiSelectPicklistAttributeMetadata",
        "PicklistAttributeMetadata", "StateAttributeMetadata", "StatusAttributeMetadata", "StringAttributeMetadata",
        "UniqueIdentifierAttributeMetadata",
    ];

    private static readonly HashSet<string> ChoiceTypes =
        ["PicklistAttributeMetadata", "MultiSelectPicklistAttributeMetadata", "StateAttributeMetadata", "StatusAttributeMetadata"];

    public static ApiResponse Read(TableDefinition table, MetadataNavigation navigation, ApiRequest request)
    {
        string context = $"{request.ServiceRoot}$metadata#EntityDefinitions('{table.LogicalName}')/{navigation.Property}";
        return navigation.Property == "Keys" ? Keys(table, navigation, request, context) : Attributes(table, navigation, request, context);
    }

    private static ApiResponse Attributes(TableDefinition table, MetadataNavigation navigation, ApiRequest request, string context)
    {
        if (navigation.Cast is { } cast && !AttributeTypes.Contains(cast))
        {
            throw DataverseException.BadRequest(ErrorCodes.ResourceNotFound,
                $"Resource not found for the segment 'Microsoft.Dynamics.CRM.{cast}': not a type derived from AttributeMetadata.");
        }

        var (select, optionSet) = Options(request, navigation.Cast is { } c && ChoiceTypes.Contains(c));
        JsonObject Shape(AttributeDefinition a)
        {
            var json = EntityMetadataWriter.Attribute(table, a);
            if (optionSet is null)
            {
                json.Remove("OptionSet");
            }
            else if (optionSet.Count > 0 && json["OptionSet"] is JsonObject options)
            {
                json["OptionSet"] = MetadataQuery.Keep(options, optionSet);
            }

            return select is null ? json : MetadataQuery.Keep(json, optionSet is null ? select : [.. select, "OptionSet"]);
        }

        var attributes = table.Attributes.Values.Where(a => navigation.Cast is null || EntityMetadataWriter.MetadataType(a) == navigation.Cast);
        string typed = navigation.Cast is null ? "" : $"/{ResourcePath.ActionNamespace}{navigation.Cast}";
        if (navigation.Key is { } key)
        {
            string name = EntityMetadataWriter.LogicalNameOf(key, "Attributes(LogicalName='name')");
            var attribute = attributes.FirstOrDefault(a => a.LogicalName == name) ?? throw DataverseException.NotFound(ErrorCodes.ObjectDoesNotExist,
                $"Could not find an attribute '{name}'{(navigation.Cast is null ? "" : $" of type {navigation.Cast}")} on table '{table.LogicalName}'.");
            var body = Shape(attribute);
            body.Insert(0, "@odata.context", $"{context}{typed}/$entity");
            return new ApiResponse(200, body);
        }

        return new ApiResponse(200, new JsonObject
        {
            ["@odata.context"] = context + typed,
            ["value"] = new JsonArray([.. attributes.Select(a => (JsonNode)Shape(a))]),
        });
    }

    private static ApiResponse Keys(TableDefinition table, MetadataNavigation navigation, ApiRequest request, string context)
    {
        if (navigation.Cast is not null)
        {
            throw DataverseException.BadRequest(ErrorCodes.ResourceNotFound,
                $"Resource not found for the segment '{navigation.Cast}': keys have no derived types.");
        }

        var (select, _) = Options(request, optionSetExpandable: false);
        JsonObject Shape(AlternateKeyDefinition k) =>
            select is null ? EntityMetadataWriter.Key(table, k) : MetadataQuery.Keep(EntityMetadataWriter.Key(table, k), select);
        if (navigation.Key is { } key)
        {
            string name = EntityMetadataWriter.LogicalNameOf(key, "Keys(LogicalName='name')");
            var found = table.Keys.FirstOrDefault(k => k.LogicalName == name)
                ?? throw DataverseException.NotFound(ErrorCodes.ObjectDoesNotExist, $"Could not find a key '{name}' on table '{table.LogicalName}'.");
            var body = Shape(found);
            body.Insert(0, "@odata.context", $"{context}/$entity");
            return new ApiResponse(200, body);
        }

        return new ApiResponse(200, new JsonObject
        {
            ["@odata.context"] = context,
            ["value"] = new JsonArray([.. table.Keys.Select(k => (JsonNode)Shape(k))]),
        });
    }

    /// <summary>The <c>$select</c> (null: every property) and the expanded OptionSet's own <c>$select</c> (null: not expanded; empty: all).</summary>
    private static (IReadOnlyList<string>? Select, IReadOnlyList<string>? OptionSet) Options(ApiRequest request, bool optionSetExpandable)
    {
        foreach (string option in request.Query.Keys.Where(o => o is not ("$select" or "$expand")))
        {
            throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                $"The query option '{option}' is not supported by the emulator on table definition navigations (supported: $select, $expand=OptionSet).");
        }

        var select = request.QueryOption("$select") is { } text ? MetadataQuery.Split(text) : null;
        if (request.QueryOption("$expand") is not { } expand)
        {
            return (select, null);
        }

        var match = OptionSetExpand().Match(expand);
        if (!match.Success)
        {
            throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                $"$expand={expand}: the emulator expands only OptionSet, with an optional $select.");
        }

        if (!optionSetExpandable)
        {
            throw DataverseException.BadRequest(ErrorCodes.ResourceNotFound, "Could not find a property named 'OptionSet' on type " +
                "'Microsoft.Dynamics.CRM.AttributeMetadata': cast to a choice type, e.g. …/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata.");
        }

        return (select, match.Groups["select"].Success ? MetadataQuery.Split(match.Groups["select"].Value) : []);
    }

    [GeneratedRegex(@"^OptionSet(\(\$select=(?<select>[A-Za-z,]+)\))?$")]
    private static partial Regex OptionSetExpand();
}
