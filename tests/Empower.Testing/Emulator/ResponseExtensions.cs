using System.Text.Json.Nodes;

namespace Empower.Testing.Emulator;

public static class ResponseExtensions
{
    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>The Dataverse error code of an error response (<c>error.code</c>).</summary>
    public static async Task<string> ErrorCodeAsync(this HttpResponseMessage response) =>
        (string)(await response.JsonAsync())["error"]!["code"]!;

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : "";
}
