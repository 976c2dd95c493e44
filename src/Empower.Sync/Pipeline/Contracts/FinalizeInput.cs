namespace Empower.Sync.Pipeline.Contracts;

/// <summary>What Finalize needs: the partitions' outcomes and when each stage began (orchestration time).</summary>
public sealed record FinalizeInput(SyncRunInput Run, long? Version, IReadOnlyList<PartitionOutcome> Partitions, StageTimes Times);
