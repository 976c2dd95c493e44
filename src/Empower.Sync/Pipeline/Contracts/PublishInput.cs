using Empower.Sync.Lake.Partitioning;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// One publish try of a partition. <see cref="OnlyRows"/> limits it to rows deferred by an earlier try; with
/// <see cref="GiveUp"/> those rows are recorded as failed (stage <c>deferral</c>) instead of sent.
/// </summary>
public sealed record PublishInput(SyncRunInput Run, long? Version, WorkPartition Partition, int Attempt, IReadOnlyList<long>? OnlyRows = null, bool GiveUp = false);
