using System.Globalization;
using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Suggestions;

namespace Empower.Sync.Ingestion;

/// <summary>One column of an ingested table: its Delta name and type, and how a record's JSON fills it.</summary>
public sealed record IngestColumn(string Name, LakeDataType Type, string ReadName, Func<JsonObject, object?> Read)
{
    public LakeField Field => new(Name, Type);
}

/// <summary>
/// Dataverse types as Delta types (docs/ingestion.md): text → string, whole number → int, big int → long, decimal →
/// decimal(28, its precision), money → decimal(19,4), float → double, two options → boolean, date only → date, date and
/// time → timestamp (UTC), choice → int plus <c>&lt;name&gt;_label</c>, lookup → the id plus <c>&lt;name&gt;_table</c>,
/// unique identifier → string. The primary id comes first; attributes of other types are skipped and named.
/// </summary>
public static class IngestColumns
{
    public sealed record Plan(IReadOnlyList<IngestColumn> Columns, IReadOnlyList<string> Problems, IReadOnlyList<string> Skipped)
    {
        public string Select => string.Join(",", Columns.Select(c => c.ReadName).Distinct(StringComparer.Ordinal));
    }

    public static Plan For(EntityMetadata table, IReadOnlyList<string>? names)
    {
        var problems = new List<string>();
        var skipped = new List<string>();
        var attributes = new List<AttributeMetadata>();
        if (names is { Count: > 0 })
        {
            foreach (string name in names.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (table.Attributes.TryGetValue(name, out var attribute))
                {
                    attributes.Add(attribute);
                }
                else
                {
                    problems.Add($"from.columns: '{name}' is not an attribute of '{table.LogicalName}'{NearestName.Suggest(name, table.Attributes.Keys)}.");
                }
            }
        }
        else
        {
            attributes.AddRange(table.Attributes.Values.OrderBy(a => a.LogicalName, StringComparer.Ordinal));
        }

        var columns = new List<IngestColumn> { Text(table.PrimaryIdAttribute, table.PrimaryIdAttribute) };
        foreach (var attribute in attributes.Where(a => !a.IsPrimaryId
            && !string.Equals(a.LogicalName, table.PrimaryIdAttribute, StringComparison.OrdinalIgnoreCase)))
        {
            var mapped = Columns(attribute);
            if (mapped.Count == 0)
            {
                skipped.Add($"'{attribute.LogicalName}' ({attribute.AttributeType}): no Delta type for it");
                if (names is { Count: > 0 })
                {
                    problems.Add($"from.columns: '{attribute.LogicalName}' is a {attribute.AttributeType} attribute, which ingestion " +
                        $"cannot write; leave it out.");
                }
            }

            columns.AddRange(mapped);
        }

        return new Plan(columns, problems, skipped);
    }

    private static List<IngestColumn> Columns(AttributeMetadata a)
    {
        string name = a.LogicalName;
        return a.AttributeType switch
        {
            "String" or "Memo" or "EntityName" or "Uniqueidentifier" => [Text(name, name)],
            "Integer" => [new(name, LakeDataType.Primitive(LakeTypeKind.Integer), name, r => Value(r, name, v => v.GetValue<int>()))],
            "BigInt" => [new(name, LakeDataType.Primitive(LakeTypeKind.Long), name, r => Value(r, name, v => v.GetValue<long>()))],
            "Decimal" => [new(name, LakeDataType.Decimal(28, Math.Clamp(a.Precision ?? 2, 0, 10)), name, r => Value(r, name, v => v.GetValue<decimal>()))],
            "Money" => [new(name, LakeDataType.Decimal(19, 4), name, r => Value(r, name, v => decimal.Round(v.GetValue<decimal>(), 4)))],
            "Double" => [new(name, LakeDataType.Primitive(LakeTypeKind.Double), name, r => Value(r, name, v => v.GetValue<double>()))],
            "Boolean" => [new(name, LakeDataType.Primitive(LakeTypeKind.Boolean), name, r => Value(r, name, v => v.GetValue<bool>()))],
            "DateTime" when a.DateTimeBehavior == "DateOnly" =>
                [new(name, LakeDataType.Primitive(LakeTypeKind.Date), name,
                    r => Value(r, name, v => DateOnly.FromDateTime(Instant(v.GetValue<string>()).UtcDateTime)))],
            "DateTime" => [new(name, LakeDataType.Primitive(LakeTypeKind.Timestamp), name,
                r => Value(r, name, v => Instant(v.GetValue<string>()).UtcDateTime))],
            "Picklist" or "State" or "Status" =>
            [
                new(name, LakeDataType.Primitive(LakeTypeKind.Integer), name, r => Value(r, name, v => v.GetValue<int>())),
                new($"{name}_label", LakeDataType.Primitive(LakeTypeKind.String), name,
                    r => Value(r, name, v => a.Options.FirstOrDefault(o => o.Value == v.GetValue<int>())?.Label)),
            ],
            "Lookup" or "Customer" or "Owner" =>
            [
                Text(name, $"_{name}_value"),
                new($"{name}_table", LakeDataType.Primitive(LakeTypeKind.String), $"_{name}_value", r => r[$"_{name}_value"] is null ? null
                    : (string?)r[$"_{name}_value@Microsoft.Dynamics.CRM.lookuplogicalname"] ?? (a.Targets.Count == 1 ? a.Targets[0] : null)),
            ],
            _ => [],
        };
    }

    private static IngestColumn Text(string name, string readName) =>
        new(name, LakeDataType.Primitive(LakeTypeKind.String), readName, r => Value(r, readName, v => v.GetValue<string>()));

    private static object? Value(JsonObject record, string property, Func<JsonValue, object?> read) =>
        record[property] is JsonValue value ? read(value) : null;

    private static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
