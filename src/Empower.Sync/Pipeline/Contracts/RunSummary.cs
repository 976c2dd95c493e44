using Empower.Sync.Dataverse.Telemetry;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// A run's result. <see cref="Rows"/> add up (<c>Read = Written + Unchanged + Failed + Superseded + Deleted +
/// DeletesIgnored</c>); <see cref="ReadMode"/> and <see cref="ReadReason"/> say whether the run read the whole table or
/// just its changes, and why. <see cref="Principals"/>: requests, 429s and retries per principal.
/// </summary>
public sealed record RunSummary(
    string Job,
    string RunId,
    long? Version,
    string ReadMode,
    string ReadReason,
    string ChangeDetection,
    int Partitions,
    RowCounts Rows,
    long DeferredThenWritten,
    int Deferrals,
    string Report,
    string? FailedRows,
    IReadOnlyList<PrincipalUsage> Principals)
{
    public long Read => Rows.Read;

    public long Written => Rows.Written;

    public long Unchanged => Rows.Unchanged;

    public long Failed => Rows.Failed;

    public long Superseded => Rows.Superseded;
}
