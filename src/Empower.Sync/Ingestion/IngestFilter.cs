using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Suggestions;

namespace Empower.Sync.Ingestion;

/// <summary>
/// An ingest job's <c>from.filter</c>, tested on each record as Dataverse returns it: every named attribute must hold
/// one of its values. Text and ids compare ignoring case (Dataverse's collation), numbers and booleans by value,
/// a null value matches an empty attribute.
/// </summary>
public sealed class IngestFilter
{
    private readonly List<(string ReadName, JsonNode?[] Values)> _conditions;

    private IngestFilter(List<(string ReadName, JsonNode?[] Values)> conditions) => _conditions = conditions;

    public static IngestFilter None { get; } = new([]);

    public bool IsEmpty => _conditions.Count == 0;

    /// <summary>The job's filter checked against the table and the columns taken; problems are named by attribute.</summary>
    public static IngestFilter For(EntityMetadata table, IngestColumns.Plan plan, IReadOnlyDictionary<string, JsonNode?>? filter, List<string> problems)
    {
        var conditions = new List<(string, JsonNode?[])>();
        foreach (var (name, value) in filter ?? new Dictionary<string, JsonNode?>())
        {
            var column = plan.Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)
                && table.Attributes.ContainsKey(c.Name));
            if (column is null)
            {
                problems.Add(table.Attributes.ContainsKey(name)
                    ? $"from.filter: '{name}' is not among from.columns; add it there, since the filter tests the records read."
                    : $"from.filter: '{name}' is not an attribute of '{table.LogicalName}'{NearestName.Suggest(name, table.Attributes.Keys)}.");
                continue;
            }

            JsonNode?[] values = value is JsonArray list ? [.. list] : [value];
            if (values.Length == 0 || values.Any(v => v is not null and not JsonValue))
            {
                problems.Add($"from.filter: '{name}' must be a value or a list of values (got {value?.ToJsonString() ?? "null"}).");
                continue;
            }

            if (values.FirstOrDefault(v => v?.GetValueKind() == JsonValueKind.Number
                && !decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)) is { } huge)
            {
                problems.Add($"from.filter: '{name}' holds {huge.ToJsonString()}, a number no Dataverse attribute holds.");
                continue;
            }

            conditions.Add((column.ReadName, values));
        }

        return new IngestFilter(conditions);
    }

    public bool Matches(JsonObject record) => _conditions.All(c => c.Values.Any(v => Same(record[c.ReadName], v)));

    private static bool Same(JsonNode? actual, JsonNode? wanted)
    {
        if (actual is null || wanted is null)
        {
            return actual is null && wanted is null;
        }

        var (a, w) = (actual.GetValueKind(), wanted.GetValueKind());
        return (a, w) switch
        {
            (JsonValueKind.String, JsonValueKind.String) => string.Equals((string?)actual, (string?)wanted, StringComparison.OrdinalIgnoreCase),
            (JsonValueKind.Number, JsonValueKind.Number) => decimal.Parse(actual.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
                == decimal.Parse(wanted.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => a == w && (a is JsonValueKind.True or JsonValueKind.False),
        };
    }
}
