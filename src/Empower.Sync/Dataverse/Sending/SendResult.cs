using Empower.Sync.Dataverse.Errors;

namespace Empower.Sync.Dataverse.Sending;

/// <summary>
/// How a request ended after layer-1 retries: a response, an error that retrying will not fix, or a deferral.
/// <see cref="Principal"/> is the client id that got the final answer.
/// </summary>
internal sealed record SendResult(SendStatus Status, string Body, DataverseError? Error, DateTimeOffset RetryAt, TimeSpan Duration, bool Slow,
    string? Principal = null)
{
    public static SendResult Deferred(DateTimeOffset retryAt, string reason)
        => new(SendStatus.Deferred, "", new DataverseError(429, "", reason), retryAt, TimeSpan.Zero, false);
}

internal enum SendStatus
{
    Succeeded,
    Failed,
    Deferred,
}
