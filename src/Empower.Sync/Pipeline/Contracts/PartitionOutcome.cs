using Empower.Sync.Dataverse.Principals;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// A partition's totals once every deferral was resolved (written) or given up (failed), with its principals' usage over
/// all tries. <see cref="DeferredThenWritten"/> counts rows written by a try after the first. <see cref="Stopped"/>: the
/// run stopped before the partition was done. <see cref="FailedFiles"/>: the staged failed rows of its tries, which are
/// the ones Finalize records (files other executions of the same run id left are not).
/// </summary>
public sealed record PartitionOutcome(
    int Partition, RowCounts Rows, long DeferredThenWritten, int Deferrals, IReadOnlyList<PrincipalUsage> Usage, IReadOnlyList<PrincipalProblem> PrincipalsOut,
    bool Stopped = false, IReadOnlyList<string>? FailedFiles = null);
