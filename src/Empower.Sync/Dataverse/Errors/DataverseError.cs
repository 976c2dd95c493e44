using System.Net;
using System.Text.Json;

namespace Empower.Sync.Dataverse.Errors;

/// <summary>An error as Dataverse reports it: HTTP status, error code (<c>0x80044331</c>) and message.</summary>
internal sealed record DataverseError(int Status, string Code, string Message)
{
    public ErrorKind Kind => ErrorClassifier.Classify(this);

    public override string ToString() => $"{Code} (HTTP {Status}): {Message}";

    public static DataverseError Parse(HttpStatusCode status, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error))
            {
                return new DataverseError(
                    (int)status,
                    error.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "",
                    error.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "");
            }
        }
        catch (JsonException)
        {
        }

        return new DataverseError((int)status, "", body.Length > 500 ? body[..500] : body);
    }

    public static DataverseError FromException(Exception exception) =>
        new(0, "", $"{exception.GetType().Name}: {exception.Message}");
}
