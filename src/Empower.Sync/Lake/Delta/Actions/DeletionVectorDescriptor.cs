namespace Empower.Sync.Lake.Delta.Actions;

/// <summary>
/// Where a data file's deletion vector lives (Delta protocol): <c>u</c> = relative path derived from a UUID,
/// <c>p</c> = absolute path, <c>i</c> = inline in the log; <see cref="Cardinality"/> = rows it deletes.
/// </summary>
public sealed record DeletionVectorDescriptor(string StorageType, string PathOrInlineDv, int? Offset, int SizeInBytes, long Cardinality)
{
    public string UniqueId => Offset is { } offset ? $"{StorageType}{PathOrInlineDv}@{offset}" : StorageType + PathOrInlineDv;
}
