namespace Empower.Sync.Lake.Delta.Actions;

/// <summary>A data file that stops being part of the table at this version.</summary>
internal sealed record RemoveFile(
    string Path,
    long? DeletionTimestamp,
    bool DataChange,
    DeletionVectorDescriptor? DeletionVector,
    IReadOnlyDictionary<string, string?> PartitionValues,
    long Size) : DeltaAction
{
    public FileKey Key => new(Path, DeletionVector?.UniqueId);
}
