namespace Empower.Sync.Lake.Partitioning;

/// <summary>
/// A unit of work for one publish activity: a few files or row groups, bounded in rows and bytes. It is a plain
/// serializable record, so a Durable orchestrator can hand it to an activity.
/// </summary>
public sealed record WorkPartition(int Index, IReadOnlyList<WorkItem> Items)
{
    public long Rows => Items.Sum(i => i.Rows);

    public long Bytes => Items.Sum(i => i.Bytes);
}
