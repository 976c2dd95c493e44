using System.Buffers.Binary;
using System.IO.Hashing;
using Empower.Sync.Lake.Delta.Actions;
using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Lake.Delta.DeletionVectors;

/// <summary>Loads the row indexes a deletion vector deletes, checking size, checksum and cardinality.</summary>
internal static class DeletionVectorLoader
{
    private const int UuidLength = 20;

    public static async Task<long[]> LoadAsync(ILakeStorage storage, DeletionVectorDescriptor descriptor, string dataFile, CancellationToken cancellationToken)
    {
        byte[] payload;
        string location;
        switch (descriptor.StorageType)
        {
            case "i":
                location = $"the inline deletion vector of {dataFile}";
                payload = Z85.Decode(descriptor.PathOrInlineDv);
                if (payload.Length < descriptor.SizeInBytes)
                {
                    throw new LakeFormatException(LakeErrorKind.CorruptDeletionVector,
                        $"{location} is shorter ({payload.Length} bytes) than its declared size {descriptor.SizeInBytes}.");
                }

                payload = payload[..descriptor.SizeInBytes];
                break;
            case "u" or "p":
                string path = RelativePath(descriptor);
                location = storage.Describe(path);
                payload = await ReadFramedAsync(storage, path, location, descriptor, cancellationToken);
                break;
            default:
                throw new LakeFormatException(LakeErrorKind.CorruptDeletionVector,
                    $"The deletion vector of {dataFile} has the storage type '{descriptor.StorageType}'; only 'u', 'p' and 'i' exist.");
        }

        long[] rows;
        try
        {
            rows = RoaringBitmapArray.Decode(payload);
        }
        catch (FormatException ex)
        {
            throw new LakeFormatException(LakeErrorKind.CorruptDeletionVector, $"The deletion vector {location} (for {dataFile}) is corrupt: {ex.Message}", ex);
        }

        if (rows.Length != descriptor.Cardinality)
        {
            throw new LakeFormatException(
                LakeErrorKind.CorruptDeletionVector,
                $"The deletion vector {location} (for {dataFile}) deletes {rows.Length} rows but the log says {descriptor.Cardinality}; it is corrupt " +
                    $"or not the right file.");
        }

        return rows;
    }

    /// <summary>The vector's file relative to the table root: <c>[prefix/]deletion_vector_&lt;uuid&gt;.bin</c> for 'u'.</summary>
    public static string RelativePath(DeletionVectorDescriptor descriptor)
    {
        if (descriptor.StorageType == "p")
        {
            throw new LakeFormatException(
                LakeErrorKind.UnsupportedFeature,
                $"A deletion vector is stored at the absolute path '{descriptor.PathOrInlineDv}'; Empower reads deletion vectors stored with the table " +
                    $"(storage types 'u' and 'i').");
        }

        string encoded = descriptor.PathOrInlineDv;
        if (encoded.Length < UuidLength)
        {
            throw new LakeFormatException(LakeErrorKind.CorruptDeletionVector, $"The deletion vector id '{encoded}' is too short to hold a UUID.");
        }

        string prefix = encoded[..^UuidLength];
        var uuid = new Guid(Z85.Decode(encoded[^UuidLength..]), bigEndian: true);
        string name = $"deletion_vector_{uuid}.bin";
        return prefix.Length > 0 ? $"{prefix}/{name}" : name;
    }

    private static async Task<byte[]> ReadFramedAsync(ILakeStorage storage, string path, string location, DeletionVectorDescriptor descriptor,
        CancellationToken cancellationToken)
    {
        // On disk: 4-byte big-endian size, the payload, then a 4-byte big-endian CRC-32 of the payload.
        byte[] framed;
        try
        {
            framed = await storage.ReadRangeAsync(path, descriptor.Offset ?? 1, 4 + descriptor.SizeInBytes + 4, cancellationToken);
        }
        catch (LakeFileNotFoundException ex)
        {
            throw new LakeFormatException(LakeErrorKind.MissingDeletionVector,
                $"The deletion vector file {location} is missing; the table cannot be read correctly without it.", ex);
        }

        if (framed.Length < 8 + descriptor.SizeInBytes)
        {
            throw new LakeFormatException(LakeErrorKind.CorruptDeletionVector,
                $"The deletion vector file {location} is truncated: expected {descriptor.SizeInBytes} bytes at offset {descriptor.Offset ?? 1}.");
        }

        int size = BinaryPrimitives.ReadInt32BigEndian(framed.AsSpan(0, 4));
        var payload = framed.AsSpan(4, descriptor.SizeInBytes);
        uint expectedCrc = BinaryPrimitives.ReadUInt32BigEndian(framed.AsSpan(4 + descriptor.SizeInBytes, 4));
        if (size != descriptor.SizeInBytes || Crc32.HashToUInt32(payload) != expectedCrc)
        {
            throw new LakeFormatException(LakeErrorKind.CorruptDeletionVector,
                $"The deletion vector in {location} at offset {descriptor.Offset ?? 1} fails its size or CRC-32 check; it is corrupt.");
        }

        return payload.ToArray();
    }
}
