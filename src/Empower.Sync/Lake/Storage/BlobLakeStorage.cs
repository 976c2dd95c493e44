using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Empower.Sync.Lake.Storage;

/// <summary>
/// A Blob Storage container, or an ADLS Gen2 file system through its blob endpoint (which serves hierarchical-namespace
/// accounts too), under an optional folder prefix.
/// </summary>
internal sealed class BlobLakeStorage(BlobContainerClient container, string rootPrefix = "") : ILakeStorage
{
    private readonly string _root = rootPrefix.Trim('/') is { Length: > 0 } trimmed ? trimmed + "/" : "";

    public string Describe(string path) => $"{container.Uri.AbsoluteUri.TrimEnd('/')}/{_root}{path}";

    public async IAsyncEnumerable<LakeFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Blob listings come back in ordinal (UTF-8 binary) name order, which is the order we promise.
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, _root + prefix, cancellationToken))
        {
            yield return new LakeFile(item.Name[_root.Length..], item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? DateTimeOffset.MinValue);
        }
    }

    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default) =>
        (await Blob(path).ExistsAsync(cancellationToken)).Value;

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Blob(path).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new LakeFileNotFoundException(Describe(path), ex);
        }
    }

    public async Task<byte[]> ReadRangeAsync(string path, long offset, int length, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await Blob(path).DownloadContentAsync(
                new BlobDownloadOptions { Range = new HttpRange(offset, length) }, cancellationToken);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new LakeFileNotFoundException(Describe(path), ex);
        }
        catch (RequestFailedException ex) when (ex.Status == 416)
        {
            return [];
        }
    }

    public async Task<bool> WriteIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        try
        {
            await Blob(path).UploadAsync(BinaryData.FromBytes(content),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409 && ex.ErrorCode == BlobErrorCode.BlobAlreadyExists)
        {
            return false;
        }
    }

    public async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        await Blob(path).UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken);

    // A URL collapses "." and ".." segments, so such a name would reach a blob outside the root.
    private BlobClient Blob(string path) =>
        path.StartsWith('/') || path.Split('/').Any(segment => segment is "." or "..")
            ? throw new ArgumentException($"The path '{path}' leaves the storage folder {Describe("")}; lake paths are relative to it.", nameof(path))
            : container.GetBlobClient(_root + path);
}
