using System.Text.Json;

namespace Empower.Sync.Jobs;

/// <summary>Which kind of job a job file holds: a sync (<c>source</c>/<c>target</c>) or an ingest job (<c>from</c>/<c>to</c>).</summary>
internal static class JobFileKind
{
    public static bool IsIngest(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.EnumerateObject().Any(p => p.NameEquals("from")) && document.RootElement.EnumerateObject().Any(p => p.NameEquals("to"));
        }
        catch (JsonException)
        {
            // Not JSON: the sync loader reports the file and the place.
            return false;
        }
    }
}
