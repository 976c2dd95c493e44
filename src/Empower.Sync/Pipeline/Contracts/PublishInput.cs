using Empower.Sync.Lake.Partitioning;
using Empower.Sync.Pipeline.Principals;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// One publish try of a partition of <see cref="Read"/> at <see cref="Version"/>. <see cref="OnlyRows"/> limits it to
/// rows deferred by an earlier try; with <see cref="GiveUp"/> those rows are recorded as failed (stage
/// <c>deferral</c>) instead of sent. <see cref="Avoid"/> lists principals other partitions saw throttled (from the
/// <c>Principals</c> entity). <see cref="StateVersion"/> is the published-state version to compare with.
/// </summary>
public sealed record PublishInput(
    SyncRunInput Run, long? Version, ReadPlan Read, long? StateVersion, WorkPartition Partition, int Attempt, IReadOnlyList<long>? OnlyRows = null,
    bool GiveUp = false, IReadOnlyList<PrincipalThrottle>? Avoid = null);
