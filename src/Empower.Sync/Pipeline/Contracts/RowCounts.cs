namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// Where the rows read went: <c>Read = Written + Unchanged + Failed + Superseded + Deleted + DeletesIgnored +
/// NotSent</c> once no row is deferred any more. Unchanged rows were skipped by change detection; superseded ones were
/// replaced by a later row with the same key; deleted ones are lake deletes applied in Dataverse (deleted or
/// deactivated), ignored ones lake deletes the job leaves alone (<c>deletes: ignore</c>); rows not sent were read by a
/// run that was stopped before it sent them (the next run sends them).
/// </summary>
public sealed record RowCounts(long Read, long Written, long Unchanged, long Failed, long Superseded, long Deleted, long DeletesIgnored, long NotSent = 0)
{
    public static readonly RowCounts Zero = new(0, 0, 0, 0, 0, 0, 0);

    public long Accounted => Written + Unchanged + Failed + Superseded + Deleted + DeletesIgnored + NotSent;

    public static RowCounts operator +(RowCounts a, RowCounts b) => new(
        a.Read + b.Read, a.Written + b.Written, a.Unchanged + b.Unchanged, a.Failed + b.Failed, a.Superseded + b.Superseded, a.Deleted + b.Deleted,
        a.DeletesIgnored + b.DeletesIgnored, a.NotSent + b.NotSent);

    public static RowCounts operator -(RowCounts a, RowCounts b) => new(
        a.Read - b.Read, a.Written - b.Written, a.Unchanged - b.Unchanged, a.Failed - b.Failed, a.Superseded - b.Superseded, a.Deleted - b.Deleted,
        a.DeletesIgnored - b.DeletesIgnored, a.NotSent - b.NotSent);
}
