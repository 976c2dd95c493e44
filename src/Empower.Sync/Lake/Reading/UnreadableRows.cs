using Empower.Sync.Lake.Partitioning;

namespace Empower.Sync.Lake.Reading;

/// <summary>
/// Rows of a data file the reader could not read, and why: their positions in the file (<see cref="UnknownRow"/> where
/// no footer placed them; a single one when not even the count is known), so each can be recorded as failed.
/// <see cref="Item"/>: which work item of its partition the file is.
/// </summary>
internal sealed record UnreadableRows(string File, IReadOnlyList<long> RowIndexes, string Reason)
{
    public const long UnknownRow = -1;

    public int Item { get; init; }

    /// <summary>
    /// A work item none of whose rows could be read: all its rows, placed when it is a whole file or a row range (rows a
    /// deletion vector deletes included: without the file they cannot be told apart).
    /// </summary>
    public static UnreadableRows Of(string file, WorkItem item, string reason)
    {
        if (item.Rows <= 0)
        {
            return new UnreadableRows(file, [UnknownRow], $"{reason} (the log does not say how many rows the file holds)");
        }

        int rows = checked((int)item.Rows);
        IReadOnlyList<long> indexes = item.RowGroups is null || item.FirstRow is not null
            ? [.. Enumerable.Range(0, rows).Select(i => (item.FirstRow ?? 0) + i)]
            : [.. Enumerable.Repeat(UnknownRow, rows)];
        return new UnreadableRows(file, indexes, reason);
    }

    /// <summary>The rows of the ranges [from, to) of the file a read could not finish, less those the deletion vector deletes.</summary>
    public static UnreadableRows InRanges(string file, IEnumerable<(long From, long To)> ranges, long[] deleted, string reason)
    {
        var indexes = new List<long>();
        foreach (var (from, to) in ranges)
        {
            for (long row = from; row < to; row++)
            {
                if (Array.BinarySearch(deleted, row) < 0)
                {
                    indexes.Add(row);
                }
            }
        }

        return new UnreadableRows(file, indexes, reason);
    }
}
