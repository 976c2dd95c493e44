using System.Runtime.CompilerServices;

namespace Empower.Sync.Lake.Storage;

/// <summary>A folder on local disk (or a mounted share) as lake storage.</summary>
public sealed class LocalLakeStorage(string root) : ILakeStorage
{
    public string Root { get; } = System.IO.Path.GetFullPath(root);

    public string Describe(string path) => Full(path);

    public string? LocalPath(string path) => Full(path);

    public async IAsyncEnumerable<LakeFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // List from the deepest whole folder of the prefix, then filter by the prefix's last segment.
        int slash = prefix.LastIndexOf('/');
        string folder = Full(slash < 0 ? "" : prefix[..slash]);
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (Info: new FileInfo(f), Path: System.IO.Path.GetRelativePath(Root, f).Replace('\\', '/')))
            .Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(f => f.Path, StringComparer.Ordinal);
        foreach (var (info, path) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new LakeFile(path, info.Length, info.LastWriteTimeUtc);
        }

        await Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(Full(path)));

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            return Task.FromResult<Stream>(new FileStream(Full(path), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new LakeFileNotFoundException(Full(path), ex);
        }
    }

    public async Task<byte[]> ReadRangeAsync(string path, long offset, int length, CancellationToken cancellationToken = default)
    {
        await using var stream = await OpenReadAsync(path, cancellationToken);
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[(int)Math.Max(0, Math.Min(length, stream.Length - offset))];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    public async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        string full = Full(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        // Written aside and moved over the old file, so a reader never sees half of it.
        string temporary = $"{full}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);
        File.Move(temporary, full, overwrite: true);
    }

    public async Task<bool> WriteIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        string full = Full(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        FileStream stream;
        try
        {
            // CreateNew fails when the file exists: the same put-if-absent a Delta commit needs.
            stream = new FileStream(full, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        }
        catch (IOException) when (File.Exists(full))
        {
            return false;
        }

        await using (stream)
        {
            await stream.WriteAsync(content, cancellationToken);
        }

        return true;
    }

    /// <summary>The full path of <paramref name="path"/>, which must stay under <see cref="Root"/>.</summary>
    private string Full(string path)
    {
        string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, path));
        string root = Root.EndsWith(System.IO.Path.DirectorySeparatorChar) ? Root : Root + System.IO.Path.DirectorySeparatorChar;
        return full == Root || full.StartsWith(root, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"The path '{path}' leaves the storage folder {Root}; lake paths are relative to it.", nameof(path));
    }
}
