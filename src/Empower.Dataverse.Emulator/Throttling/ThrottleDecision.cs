namespace Empower.Dataverse.Emulator.Throttling;

/// <summary>Whether a request may run; when not, the Dataverse error code, message and Retry-After to answer with.</summary>
public sealed record ThrottleDecision(bool Allowed, string? Code = null, string? Message = null, int RetryAfterSeconds = 0, bool Violation = false)
{
    /// <summary>The window entry of an admitted request, handed back to <see cref="ServiceProtection.Complete"/>.</summary>
    internal object? Ticket { get; init; }
}
