using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Dataverse.Reading;
using Empower.Sync.Dataverse.Writing;
using Empower.Sync.Mapping;

namespace Empower.Sync.ChangeDetection;

/// <summary>
/// Change detection <c>target-compare</c>: reads the mapped attributes of the rows' records from Dataverse and keeps,
/// for each row, only the attributes whose value differs (after normalising numbers, datetimes in UTC, date-only
/// values, GUIDs and lookups resolved to ids). A row whose record is missing is sent whole; a row with no difference
/// is not sent. Unchanged columns are left out because Dataverse runs plug-ins and writes audit rows for every column
/// sent, changed or not.
/// </summary>
internal sealed class TargetComparer(MappingPlan plan, RecordReader reader)
{
    /// <summary>For each record: what to send (whole or the changed attributes plus the key), or null when nothing changed. Null overall when
    /// Dataverse could not be read.</summary>
    public async Task<IReadOnlyList<RecordToWrite?>?> CompareAsync(IReadOnlyList<RecordToWrite> records, bool byId, CancellationToken cancellationToken)
    {
        var target = plan.Target;
        var keyAttributes = byId ? [target.PrimaryIdAttribute] : plan.KeyAttributes!;
        var keys = records.Select(r => byId ? new JsonObject { [target.PrimaryIdAttribute] = r.Id!.Value.ToString("D") } : r.Attributes).ToList();
        var select = plan.Attributes.Select(Column).ToList();
        var current = await reader.ReadAsync(target, keyAttributes, keys, select, cancellationToken);
        var lookupIds = await ResolveLookupsAsync(records, cancellationToken);
        if (current is null || lookupIds is null)
        {
            return null;
        }

        var byKey = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in current)
        {
            byKey.TryAdd(KeyText(keyAttributes, record), record);
        }

        var results = new RecordToWrite?[records.Count];
        for (int i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (!byKey.TryGetValue(KeyText(keyAttributes, keys[i]), out var existing))
            {
                results[i] = record;
                continue;
            }

            var changed = new JsonObject();
            foreach (var map in plan.Attributes)
            {
                if (!record.Attributes.TryGetPropertyValue(map.PayloadProperty, out var sent) || IsKey(map) ||
                    Same(sent, existing[Column(map)], map, lookupIds))
                {
                    continue;
                }

                changed[map.PayloadProperty] = sent?.DeepClone();
            }

            if (changed.Count > 0)
            {
                foreach (var key in byId ? [] : plan.KeyAttributes!)
                {
                    changed[key] = record.Attributes[key]?.DeepClone();
                }

                results[i] = record with { Attributes = changed };
            }
        }

        return results;
    }

    private bool IsKey(AttributeMap map) => plan.KeyAttributes?.Contains(map.Attribute.LogicalName, StringComparer.OrdinalIgnoreCase) == true;

    /// <summary>The column Dataverse returns the attribute's value in: lookups come back as <c>_name_value</c> (the id).</summary>
    private static string Column(AttributeMap map) => map.IsLookup ? $"_{map.Attribute.LogicalName}_value" : map.Attribute.LogicalName;

    private static string KeyText(IReadOnlyList<string> attributes, JsonObject values) =>
        string.Join("|", attributes.Select(a => values[a] is JsonValue v ? Normalize(v) : ""));

    private static string Normalize(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => Number(value).ToString(CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };

    private static bool Same(JsonNode? sent, JsonNode? current, AttributeMap map, IReadOnlyDictionary<string, Guid> lookupIds)
    {
        if (sent is null || current is null)
        {
            return sent is null && current is null;
        }

        if (map.IsLookup)
        {
            return lookupIds.TryGetValue(sent.GetValue<string>(), out var id) && Guid.TryParse(current.GetValue<string>(), out var holds) && id == holds;
        }

        var (a, b) = (sent.AsValue(), current.AsValue());
        return map.Attribute.AttributeType switch
        {
            "Integer" or "BigInt" or "Decimal" or "Money" or "Double" or "Picklist" or "State" or "Status" =>
                a.GetValueKind() == JsonValueKind.Number && b.GetValueKind() == JsonValueKind.Number && Number(a) == Number(b),
            "Boolean" => a.GetValueKind() == b.GetValueKind(),
            "DateTime" => SameTime(a.GetValue<string>(), b.GetValue<string>(), map.Attribute.DateTimeBehavior == "DateOnly"),
            "Uniqueidentifier" => Guid.TryParse(a.GetValue<string>(), out var x) && Guid.TryParse(b.GetValue<string>(), out var y) && x == y,
            _ => a.ToJsonString() == b.ToJsonString(),
        };
    }

    /// <summary>A JSON number as a decimal, whatever CLR type the node wraps (mapped values hold int, long, decimal or double).</summary>
    private static decimal Number(JsonValue value) => decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool SameTime(string sent, string current, bool dateOnly)
    {
        var style = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        return DateTimeOffset.TryParse(sent, CultureInfo.InvariantCulture, style, out var a)
            && DateTimeOffset.TryParse(current, CultureInfo.InvariantCulture, style, out var b) &&
            (dateOnly ? a.UtcDateTime.Date == b.UtcDateTime.Date : a.UtcDateTime == b.UtcDateTime);
    }

    /// <summary>The ids of the records the rows' lookups bind to (<c>/accounts(accountnumber='A-1')</c> → its id); null when Dataverse could not be
    /// read.</summary>
    private async Task<IReadOnlyDictionary<string, Guid>?> ResolveLookupsAsync(IReadOnlyList<RecordToWrite> records, CancellationToken cancellationToken)
    {
        // Dataverse finds the related record ignoring case, so the bind and the key it holds may differ in case.
        var ids = new Dictionary<string, Guid>(RecordKey.ComparerFor(plan.KeyCollation));
        foreach (var map in plan.Attributes.Where(m => m.IsLookup))
        {
            var binds = records.Select(r => r.Attributes[map.PayloadProperty]).OfType<JsonValue>()
                .Select(v => v.GetValue<string>()).Distinct(StringComparer.Ordinal).ToList();
            if (binds.Count == 0)
            {
                continue;
            }

            string prefix = $"/{map.BindEntitySet}({map.BindKey}=";
            var keyValues = binds.Select(b => new JsonObject { [map.BindKey!] = KeyValue(b[prefix.Length..^1]) }).ToList();
            var related = new EntityMetadata(map.Attribute.Targets.FirstOrDefault() ?? "", map.BindEntitySet!, map.BindIdAttribute!, null, false,
                new Dictionary<string, AttributeMetadata>(), [], []);
            var found = await reader.ReadAsync(related, [map.BindKey!], keyValues, [], cancellationToken);
            if (found is null)
            {
                return null;
            }

            foreach (var record in found)
            {
                if (record[map.BindKey!] is JsonValue key && record[map.BindIdAttribute!] is JsonValue id)
                {
                    ids[$"{prefix}{KeyLiteral.Literal(key, map.BindKey!)})"] = Guid.Parse(id.GetValue<string>());
                }
            }
        }

        return ids;
    }

    /// <summary>The value of an OData key literal: <c>'O''Brien'</c> → <c>O'Brien</c>; numbers and booleans as they are.</summary>
    private static JsonNode? KeyValue(string literal) =>
        literal.StartsWith('\'') ? JsonValue.Create(literal[1..^1].Replace("''", "'", StringComparison.Ordinal)) : JsonNode.Parse(literal);
}
