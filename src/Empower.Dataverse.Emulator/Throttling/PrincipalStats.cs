namespace Empower.Dataverse.Emulator.Throttling;

/// <summary>What <c>/_emulator/stats</c> reports per principal.</summary>
public sealed record PrincipalStats(
    long Requests,
    long Throttled,
    IReadOnlyDictionary<string, long> ThrottledByCode,
    long RetryAfterViolations,
    int PeakConcurrency,
    double ExecutionMsCharged,
    int InFlight,
    IReadOnlyDictionary<int, long> RequestsByWebServer);
