using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Empower.Dataverse.Emulator.Protocol;

namespace Empower.Dataverse.Emulator.Metadata;

/// <summary>
/// The query options of an <c>EntityDefinitions</c> read, applied rather than ignored: <c>$select</c> of the
/// definition's properties, <c>$expand</c> of Attributes, Keys and ManyToOneRelationships each with its own
/// <c>$select</c>, and on the collection a <c>$filter</c> of <c>Property eq value</c> terms joined by <c>or</c> or
/// <c>and</c>. Anything else answers 400, so a client never mistakes an unfiltered answer for a filtered one.
/// </summary>
internal sealed partial class MetadataQuery
{
    private static readonly HashSet<string> Expandable = ["Attributes", "Keys", "ManyToOneRelationships"];

    private readonly IReadOnlyList<string>? _select;
    private readonly List<(string Property, JsonNode? Value)> _terms;
    private readonly bool _all;

    private MetadataQuery(IReadOnlyList<string>? select, Dictionary<string, IReadOnlyList<string>?> expand, List<(string, JsonNode?)> terms, bool all)
    {
        _select = select;
        Expand = expand;
        _terms = terms;
        _all = all;
    }

    /// <summary>The navigation properties to expand, each with its <c>$select</c> (null: every property).</summary>
    public Dictionary<string, IReadOnlyList<string>?> Expand { get; }

    public static MetadataQuery Parse(ApiRequest request, bool collection)
    {
        foreach (string option in request.Query.Keys)
        {
            if (option is not ("$select" or "$expand" or "$filter") || option == "$filter" && !collection)
            {
                throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                    $"The query option '{option}' is not supported by the emulator on EntityDefinitions (supported: $select, " +
                        $"$expand{(collection ? ", $filter" : "")}).");
            }
        }

        var expand = new Dictionary<string, IReadOnlyList<string>?>(StringComparer.Ordinal);
        foreach (var item in SplitOutsideParentheses(request.QueryOption("$expand") ?? ""))
        {
            var match = ExpandItem().Match(item);
            string name = match.Success ? match.Groups["name"].Value : item;
            if (!Expandable.Contains(name))
            {
                throw DataverseException.BadRequest(ErrorCodes.ResourceNotFound,
                    $"Could not find a property named '{name}' on type 'Microsoft.Dynamics.CRM.EntityMetadata' (in $expand).");
            }

            string options = match.Groups["options"].Value;
            if (options.Length > 0 && !options.StartsWith("$select=", StringComparison.Ordinal) || options.Contains(';', StringComparison.Ordinal))
            {
                throw DataverseException.BadRequest(ErrorCodes.InvalidArgument, $"$expand={item}: the emulator applies only $select inside an expansion.");
            }

            expand[name] = options.Length > 0 ? Split(options["$select=".Length..]) : null;
        }

        var (terms, all) = collection ? ParseFilter(request.QueryOption("$filter")) : ([], true);
        return new MetadataQuery(request.QueryOption("$select") is { } select ? Split(select) : null, expand, terms, all);
    }

    /// <summary>Keeps the selected properties (and the expansions, each cut to its own selection).</summary>
    public JsonObject Shape(JsonObject entity)
    {
        foreach (var (name, select) in Expand)
        {
            if (select is not null && entity[name] is JsonArray items)
            {
                entity[name] = new JsonArray([.. items.OfType<JsonObject>().Select(i => (JsonNode)Keep(i, select))]);
            }
        }

        return _select is null ? entity : Keep(entity, [.. _select, .. Expand.Keys]);
    }

    /// <summary>Whether the definition (before <see cref="Shape"/>) passes the <c>$filter</c>; text compares ignoring case.</summary>
    public bool Matches(JsonObject entity)
    {
        bool Holds((string Property, JsonNode? Value) term) => (entity[term.Property], term.Value) switch
        {
            (JsonValue actual, JsonValue wanted) when actual.GetValueKind() == JsonValueKind.String && wanted.GetValueKind() == JsonValueKind.String =>
                string.Equals((string?)actual, (string?)wanted, StringComparison.OrdinalIgnoreCase),
            (JsonValue actual, JsonValue wanted) => JsonNode.DeepEquals(actual, wanted),
            _ => false,
        };

        return _terms.Count == 0 || (_all ? _terms.All(Holds) : _terms.Any(Holds));
    }

    internal static JsonObject Keep(JsonObject item, IEnumerable<string> properties)
    {
        var kept = new JsonObject();
        foreach (string property in properties.Prepend("@odata.type").Prepend("MetadataId").Distinct(StringComparer.Ordinal))
        {
            if (item.TryGetPropertyValue(property, out var value))
            {
                kept[property] = value?.DeepClone();
            }
        }

        return kept;
    }

    private static (List<(string, JsonNode?)> Terms, bool All) ParseFilter(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return ([], true);
        }

        bool or = filter.Contains(" or ", StringComparison.Ordinal);
        bool and = filter.Contains(" and ", StringComparison.Ordinal);
        if (or && and)
        {
            throw Unsupported(filter);
        }

        var terms = new List<(string, JsonNode?)>();
        foreach (string part in filter.Split(or ? " or " : " and ", StringSplitOptions.TrimEntries))
        {
            var match = Term().Match(part);
            if (!match.Success)
            {
                throw Unsupported(filter);
            }

            string literal = match.Groups["value"].Value;
            JsonNode? value = literal.StartsWith('\'') ? JsonValue.Create(literal[1..^1].Replace("''", "'", StringComparison.Ordinal))
                : literal is "true" or "false" ? JsonValue.Create(literal == "true") : throw Unsupported(filter);
            terms.Add((match.Groups["property"].Value, value));
        }

        return (terms, !or);
    }

    private static DataverseException Unsupported(string filter) => DataverseException.BadRequest(ErrorCodes.InvalidArgument,
        $"$filter={filter}: on EntityDefinitions the emulator supports terms 'Property eq 'text'' or 'Property eq true|false' joined by 'and' or by 'or'.");

    private static IEnumerable<string> SplitOutsideParentheses(string list)
    {
        int depth = 0, start = 0;
        for (int i = 0; i <= list.Length; i++)
        {
            if (i == list.Length || list[i] == ',' && depth == 0)
            {
                if (list[start..i].Trim() is { Length: > 0 } item)
                {
                    yield return item;
                }

                start = i + 1;
            }
            else if (list[i] == '(')
            {
                depth++;
            }
            else if (list[i] == ')')
            {
                depth--;
            }
        }
    }

    /// <summary>The items of a comma-separated option value such as <c>$select=a,b</c>.</summary>
    internal static List<string> Split(string list) => [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    [GeneratedRegex(@"^(?<name>\w+)\((?<options>.*)\)$")]
    private static partial Regex ExpandItem();

    [GeneratedRegex(@"^(?<property>\w+) eq (?<value>'(?:[^']|'')*'|true|false)$")]
    private static partial Regex Term();
}
