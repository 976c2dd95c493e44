namespace Empower.Sync.Pipeline.Contracts;

public sealed record FinalizeInput(SyncRunInput Run, long? Version, IReadOnlyList<PartitionOutcome> Partitions);
