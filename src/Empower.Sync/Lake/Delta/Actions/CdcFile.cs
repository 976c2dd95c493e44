namespace Empower.Sync.Lake.Delta.Actions;

/// <summary>A Change Data Feed file (<c>_change_data/...</c>) written by a commit; its rows carry <c>_change_type</c>.</summary>
internal sealed record CdcFile(string Path, IReadOnlyDictionary<string, string?> PartitionValues, long Size) : DeltaAction;
