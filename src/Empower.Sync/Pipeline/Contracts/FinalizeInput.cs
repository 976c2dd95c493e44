using Empower.Sync.Pipeline.Reading;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>What Finalize needs: what was read, the partitions' outcomes and when each stage began (orchestration time).</summary>
public sealed record FinalizeInput(SyncRunInput Run, long? Version, ReadPlan Read, IReadOnlyList<PartitionOutcome> Partitions, StageTimes Times);
