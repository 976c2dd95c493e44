using Empower.Sync.FailedRows;

namespace Empower.Sync.Pipeline.Preparing;

/// <summary>
/// A partition after Prepare: one row per key to publish, the rows that failed to prepare, how many rows a later row
/// with the same key replaced, and how many the published state already holds. <c>Read = Rows + Failed + Superseded +
/// Unchanged</c>.
/// </summary>
public sealed record PreparedPartition(IReadOnlyList<PreparedRow> Rows, List<FailedRow> Failed, long Read, long Superseded, long Unchanged = 0);
