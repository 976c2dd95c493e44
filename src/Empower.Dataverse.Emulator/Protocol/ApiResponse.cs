using System.Text.Json.Nodes;

namespace Empower.Dataverse.Emulator.Protocol;

/// <summary>The outcome of one Web API operation.</summary>
public sealed class ApiResponse
{
    public ApiResponse(int status, JsonNode? body = null)
    {
        Status = status;
        Body = body;
    }

    /// <summary>A response whose body is not JSON (the multipart body of a <c>$batch</c>).</summary>
    public ApiResponse(int status, string text, string contentType)
    {
        Status = status;
        Text = text;
        ContentType = contentType;
    }

    public int Status { get; }
    public JsonNode? Body { get; }
    public string? Text { get; }
    public string ContentType { get; } = "application/json; odata.metadata=minimal";
    public List<KeyValuePair<string, string>> Headers { get; } = [];
    public ApiResponse WithHeader(string name, string value)
    {
        Headers.Add(new(name, value));
        return this;
    }

    public static ApiResponse Error(DataverseException error) => new(error.Status, ErrorBody(error.Code, error.Message));

    public static JsonObject ErrorBody(string code, string message) =>
        new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };
}
