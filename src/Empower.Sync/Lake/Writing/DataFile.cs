namespace Empower.Sync.Lake.Writing;

/// <summary>
/// A data file written for a Delta table: its path relative to the table root, its size and row count, and its
/// statistics JSON when the writer computed them (<see cref="FileStatistics"/>); without them the add says only the count.
/// </summary>
public sealed record DataFile(string Path, long Size, long Rows, string? Stats = null);
