using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Dataverse.Sending;

namespace Empower.Sync.Dataverse.Reading;

/// <summary>
/// Reads records by alternate key values or by ids, a chunk of keys per query (<c>$filter</c> with
/// <c>Microsoft.Dynamics.CRM.In</c> for one-column keys, <c>or</c> of <c>and</c>s for composite ones), following
/// <c>@odata.nextLink</c> pages. Queries go through the sender, so they share throttling and principal rotation with
/// writes.
/// </summary>
internal sealed class RecordReader(DataverseSender sender)
{
    public const int KeysPerQuery = 50;

    /// <summary>The records whose <paramref name="keyAttributes"/> equal one of <paramref name="keys"/>' values; null when a query could not be
    /// answered.</summary>
    public async Task<IReadOnlyList<JsonObject>?> ReadAsync(
        EntityMetadata table, IReadOnlyList<string> keyAttributes, IReadOnlyList<JsonObject> keys, IReadOnlyCollection<string> select,
            CancellationToken cancellationToken)
    {
        var records = new List<JsonObject>();
        string columns = string.Join(",", select.Concat(keyAttributes).Append(table.PrimaryIdAttribute).Distinct(StringComparer.Ordinal));
        foreach (var chunk in keys.Chunk(KeysPerQuery))
        {
            string? path = $"{table.EntitySetName}?$select={columns}&$filter={Uri.EscapeDataString(Filter(table, keyAttributes, chunk))}";
            while (path is not null)
            {
                string current = path;
                var result = await sender.SendAsync("query", chunk.Length, () => new HttpRequestMessage(HttpMethod.Get, current), cancellationToken);
                if (result.Status != SendStatus.Succeeded)
                {
                    return null;
                }

                var page = JsonNode.Parse(result.Body)!.AsObject();
                records.AddRange(page["value"]!.AsArray().OfType<JsonObject>().Select(r => r.DeepClone().AsObject()));
                path = (string?)page["@odata.nextLink"];
            }
        }

        return records;
    }

    private static string Filter(EntityMetadata table, IReadOnlyList<string> keyAttributes, IReadOnlyList<JsonObject> keys)
    {
        if (keyAttributes.Count == 1)
        {
            string attribute = keyAttributes[0];
            var values = keys.Select(k => "'" + (k[attribute] is JsonValue v && v.TryGetValue<string>(out var s) ? s
                : k[attribute]?.ToJsonString() ?? "").Replace("'", "''", StringComparison.Ordinal) + "'");
            return $"Microsoft.Dynamics.CRM.In(PropertyName='{attribute}',PropertyValues=[{string.Join(",", values)}])";
        }

        return string.Join(" or ", keys.Select(k => "(" + string.Join(" and ", keyAttributes.Select(a => $"{a} eq {Comparand(table, a, k[a])}")) + ")"));
    }

    /// <summary>
    /// A key value as a <c>$filter</c> literal: a date bare (quoted, Dataverse refuses it as a string) when it holds
    /// nothing but a date's characters, the rest as in a key. Keys hold no GUIDs: Dataverse allows none in a key.
    /// </summary>
    private static string Comparand(EntityMetadata table, string attribute, JsonNode? value) =>
        table.Attributes.TryGetValue(attribute, out var metadata) && metadata.AttributeType == "DateTime"
            && value is JsonValue v && v.TryGetValue<string>(out var text)
            && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ':' or '.' or '+')
            ? text
            : KeyLiteral.Literal(value, attribute);
}
