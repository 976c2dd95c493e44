using Empower.Sync.Dataverse.Telemetry;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>A run's result; <c>Read = Written + Failed + Superseded</c>. <see cref="Principals"/>: requests, 429s and retries per principal.</summary>
public sealed record RunSummary(
    string Job,
    string RunId,
    long? Version,
    int Partitions,
    long Read,
    long Written,
    long Failed,
    long Superseded,
    long DeferredThenWritten,
    int Deferrals,
    string Report,
    string? FailedRows,
    IReadOnlyList<PrincipalUsage> Principals);
