namespace Empower.Sync.Lake.Storage;

/// <summary>
/// The few storage operations the lake reader and writers need, over a local folder or a Blob / ADLS Gen2 container.
/// Paths are relative to the storage root and use '/' separators.
/// </summary>
public interface ILakeStorage
{
    /// <summary>Where a path lives, for error messages (a full file path or URL).</summary>
    string Describe(string path);

    /// <summary>Every file whose path starts with <paramref name="prefix"/>, recursively, in ordinal path order.</summary>
    IAsyncEnumerable<LakeFile> ListAsync(string prefix, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default);

    /// <exception cref="LakeFileNotFoundException">The file does not exist.</exception>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Reads <paramref name="length"/> bytes at <paramref name="offset"/> (fewer at the end of the file).</summary>
    /// <exception cref="LakeFileNotFoundException">The file does not exist.</exception>
    Task<byte[]> ReadRangeAsync(string path, long offset, int length, CancellationToken cancellationToken = default);

    /// <summary>Creates the file only if it does not exist yet (how Delta commits are made); false when it already exists.</summary>
    Task<bool> WriteIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the file (for files only one writer writes, such as a run's report).</summary>
    Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>The file's path on local disk, when it has one (native readers open it directly); else null.</summary>
    string? LocalPath(string path) => null;
}
