namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// The run's custom status while it runs, per finished partition; <see cref="RowsPerSecond"/> = rows written per second
/// since publishing began, <see cref="Planned"/> the rows Plan found to read. Live counts between partitions come from
/// the <c>empower.sync.rows</c> metric.
/// </summary>
public sealed record RunProgress(
    string Stage, int PartitionsDone, int PartitionsTotal, long Read, long Written, long Unchanged, long Failed, long Deferred,
        double RowsPerSecond = 0, long Planned = 0);
