namespace Empower.Sync.Lake.Storage;

/// <summary>A file in the lake; <see cref="Path"/> is relative to the storage root, with '/' separators.</summary>
public sealed record LakeFile(string Path, long Size, DateTimeOffset LastModified);
