namespace Empower.Sync.Pipeline.Contracts;

public enum ReadMode
{
    /// <summary>Every row of the table's version.</summary>
    Full,

    /// <summary>Only the rows changed after <see cref="ReadPlan.FromVersion"/>: Change Data Feed rows, or the files added since.</summary>
    Changes,
}

/// <summary>
/// What a run reads and why (the reason is logged and put in the report). <see cref="NewTarget"/>: the last run published
/// to another environment or table, so the published state says nothing about this one; the run sends every row and
/// its state replaces the old.
/// </summary>
public sealed record ReadPlan(ReadMode Mode, long? FromVersion, string Reason, bool NewTarget = false)
{
    public static ReadPlan Full(string reason) => new(ReadMode.Full, null, reason);
}
