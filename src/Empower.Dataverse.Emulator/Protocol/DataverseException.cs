namespace Empower.Dataverse.Emulator.Protocol;

/// <summary>A request failed the way Dataverse fails it: an HTTP status plus <c>{"error":{"code","message"}}</c>.</summary>
public sealed class DataverseException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    public static DataverseException BadRequest(string code, string message) => new(400, code, message);

    public static DataverseException NotFound(string code, string message) => new(404, code, message);
}
