using System.Text.Json;
using System.Text.Json.Nodes;

namespace Empower.Dataverse.Emulator.Batch;

/// <summary>
/// <c>$n</c> references inside a change set: a request URL starting with <c>$n</c>, or an <c>@odata.bind</c> value <c>"$n"</c> in a
/// request body, names the record created by the earlier request of the same change set whose <c>Content-ID</c> is <c>n</c> (Microsoft:
/// "Reference URIs in request body", Execute batch operations using the Web API).
/// </summary>
internal sealed class ContentIdReferences
{
    private readonly Dictionary<string, string> _entityIds = new(StringComparer.Ordinal);

    public void Add(string contentId, string entityId) => _entityIds["$" + contentId] = entityId;

    /// <summary>The URL with a leading <c>$n</c> replaced by the record's URL.</summary>
    public string ResolveUrl(string url)
    {
        if (!url.StartsWith('$'))
        {
            return url;
        }

        int end = url.IndexOfAny(['/', '?']);
        return Target(end < 0 ? url : url[..end]) + (end < 0 ? "" : url[end..]);
    }

    /// <summary>The body with every <c>"…@odata.bind": "$n"</c> replaced by the record's URL; other bodies unchanged.</summary>
    public string? ResolveBody(string? body)
    {
        if (body is null || !body.Contains("\"$", StringComparison.Ordinal))
        {
            return body;
        }

        JsonNode? json;
        try
        {
            json = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return body; // the operation itself reports the malformed body
        }

        if (json is not JsonObject record)
        {
            return body;
        }

        foreach (var (name, value) in record.ToList())
        {
            if (name.EndsWith("@odata.bind", StringComparison.Ordinal) && value is JsonValue text && text.TryGetValue(out string? reference)
                && reference.StartsWith('$'))
            {
                record[name] = Target(reference);
            }
        }

        return record.ToJsonString();
    }

    private string Target(string reference) => _entityIds.TryGetValue(reference, out var target) ? target
        : throw MultipartParser.BadBatch($"the Content-ID reference '{reference}' does not name an earlier request of the same change set");
}
