namespace Empower.Sync.Pipeline.Contracts;

/// <summary>The run's custom status while it runs; <see cref="RowsPerSecond"/> = rows written per second since publishing began.</summary>
public sealed record RunProgress(
    string Stage, int PartitionsDone, int PartitionsTotal, long Read, long Written, long Unchanged, long Failed, long Deferred, double RowsPerSecond = 0);
