using Empower.Sync.Lake.Partitioning;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// The Plan stage's answer: the version to publish, what to read of it and why, its work partitions, the version of
/// the published-state table every partition compares with, and where the run publishes (for its watermark).
/// </summary>
public sealed record SyncPlan(long? Version, ReadPlan Read, IReadOnlyList<WorkPartition> Partitions, long Rows, int Parallelism,
    long? StateVersion, PublishTarget Target);
