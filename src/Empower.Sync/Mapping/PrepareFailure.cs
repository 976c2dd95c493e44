namespace Empower.Sync.Mapping;

/// <summary>A row that cannot be written as read: which file and row, which column and attribute, and why.</summary>
internal sealed record PrepareFailure(string File, long RowIndex, string Column, string Attribute, string Reason)
{
    public override string ToString() => $"{File} row {RowIndex}, {Column} → {Attribute}: {Reason}";
}
