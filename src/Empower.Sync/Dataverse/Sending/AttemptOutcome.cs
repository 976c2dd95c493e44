using Empower.Sync.Dataverse.Errors;

namespace Empower.Sync.Dataverse.Sending;

/// <summary>One try of a request on one principal.</summary>
internal sealed record AttemptOutcome(AttemptKind Kind, string Body, DataverseError? Error, DateTimeOffset RetryAt, TimeSpan Duration, bool Slow,
    string? Principal = null);

internal enum AttemptKind
{
    Succeeded,

    /// <summary>Retry with back-off (Polly).</summary>
    Transient,

    /// <summary>The principal was throttled or taken out: send again at once, on another principal if one is free.</summary>
    Rerouted,

    /// <summary>Retrying will not help: a data or request error.</summary>
    Failed,

    /// <summary>Every usable principal rests longer than this activity may wait.</summary>
    Deferred,
}
