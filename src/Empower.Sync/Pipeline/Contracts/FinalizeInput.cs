using Empower.Sync.Pipeline.Reading;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>What Finalize needs: what was read, where it was published, the partitions' outcomes and when each stage began (orchestration time).</summary>
public sealed record FinalizeInput(SyncRunInput Run, long? Version, ReadPlan Read, PublishTarget Target, IReadOnlyList<PartitionOutcome> Partitions, StageTimes Times);
