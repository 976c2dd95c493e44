using Empower.Sync.FailedRows;

namespace Empower.Sync.Pipeline.Preparing;

/// <summary>
/// A partition after Prepare: one row per key to publish, the rows that failed to prepare, and how many rows a later
/// row with the same key replaced. <c>Read = Rows + Failed + Superseded</c>.
/// </summary>
public sealed record PreparedPartition(IReadOnlyList<PreparedRow> Rows, List<FailedRow> Failed, long Read, long Superseded);
