using Empower.Sync.Lake.Delta.Actions;

namespace Empower.Sync.Lake.Delta;

/// <summary>What one commit changed: files added and removed, Change Data Feed files, and any new metadata.</summary>
internal sealed record DeltaVersionChanges(
    long Version,
    DateTimeOffset? Timestamp,
    string? Operation,
    IReadOnlyList<AddFile> Added,
    IReadOnlyList<RemoveFile> Removed,
    IReadOnlyList<CdcFile> ChangeData,
    DeltaMetadata? Metadata)
{
    /// <summary>True when the commit only added data (no data-changing removes).</summary>
    public bool IsAppendOnly => Removed.All(r => !r.DataChange);
}
