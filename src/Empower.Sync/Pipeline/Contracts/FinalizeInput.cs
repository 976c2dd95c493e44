
namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// What Finalize needs: what was read, where it was published, the partitions' outcomes, when each stage began
/// (orchestration time) and how the run ended; <see cref="PartitionsPlanned"/> says how far a stopped run got.
/// </summary>
public sealed record FinalizeInput(
    SyncRunInput Run, long? Version, ReadPlan Read, PublishTarget? Target, IReadOnlyList<PartitionOutcome> Partitions, StageTimes Times, RunEnd End,
        int PartitionsPlanned);
