namespace Empower.Sync.Lake.Delta.Actions;

/// <summary>A file's identity in log replay (Delta protocol: path plus deletion-vector id).</summary>
internal readonly record struct FileKey(string Path, string? DeletionVectorId);
