namespace Empower.Sync.Lake.Delta.Actions;

/// <summary>A file's identity in log replay (Delta protocol: path plus deletion-vector id).</summary>
public readonly record struct FileKey(string Path, string? DeletionVectorId);
