using Empower.Sync.Dataverse.Principals;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// A run's result. <see cref="Rows"/> add up (<c>Read = Written + Unchanged + Failed + Superseded + Deleted +
/// DeletesIgnored + NotSent</c>); <see cref="ReadMode"/> and <see cref="ReadReason"/> say whether the run read the whole
/// table or just its changes, and why. <see cref="Principals"/>: requests, 429s and retries per principal;
/// <see cref="PrincipalsOut"/> the principals taken out and why. <see cref="Status"/> is a <see cref="RunStatus"/>; a
/// cancelled or failed run says its <see cref="Error"/>, the stage it stopped in and the partitions it finished of
/// those planned.
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
    IReadOnlyList<PrincipalUsage> Principals,
    string Status = RunStatus.Succeeded,
    string? Error = null,
    string? StoppedIn = null,
    int PartitionsPlanned = 0,
    DateTimeOffset? Started = null,
    DateTimeOffset? Finished = null,
    string? Environment = null,
    string? Source = null,
    string? JobFile = null,
    string? State = null,
    IReadOnlyList<PrincipalProblem>? PrincipalsOut = null)
{
    public long Read => Rows.Read;

    public long Written => Rows.Written;

    public long Unchanged => Rows.Unchanged;

    public long Failed => Rows.Failed;

    public long Superseded => Rows.Superseded;

    public long NotSent => Rows.NotSent;
}
