using System.Security.Cryptography;
using System.Text;

namespace Empower.Sync.Dataverse.Writing;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5, SHA-1) for Insert mode: the same table and business key always give the
/// same record id, so re-sending a create whose response was lost cannot make a second record. The name is
/// <c>{table logical name}/{key value 1}/{key value 2}...</c> in Empower's own namespace, with the key values in upper
/// case: Dataverse compares keys ignoring case, so <c>D-2</c> and <c>d-2</c> are one record and must get one id.
/// </summary>
internal static class DeterministicId
{
    public static readonly Guid Namespace = new("5b7e6f0c-2c1d-4a7a-9a0e-6b3f2d1c0e9f");

    public static Guid For(string table, params string[] keyValues) =>
        Create(Namespace, table.ToLowerInvariant() + "/" + string.Join("/",
            keyValues.Select(v => v.ToUpperInvariant().Replace("/", "//", StringComparison.Ordinal))));

    public static Guid Create(Guid ns, string name)
    {
        Span<byte> input = stackalloc byte[16];
        ns.TryWriteBytes(input, bigEndian: true, out _);
        byte[] bytes = [.. input, .. Encoding.UTF8.GetBytes(name)];
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(bytes, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
