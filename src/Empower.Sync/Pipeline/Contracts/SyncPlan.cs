using Empower.Sync.Lake.Partitioning;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>The Plan stage's answer: the version to publish and its work partitions.</summary>
public sealed record SyncPlan(long? Version, IReadOnlyList<WorkPartition> Partitions, long Rows, int Parallelism);
