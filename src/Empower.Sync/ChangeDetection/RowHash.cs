using System.Buffers;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Dataverse.Writing;
using Empower.Sync.Mapping;

namespace Empower.Sync.ChangeDetection;

/// <summary>
/// Hashes for change detection: of a record's mapped values (its id and the Web API payload, whose values the mapping
/// already normalised — UTC datetimes, rounded decimals, choice values, lookup bindings), and of a record key for the
/// in-memory index. XxHash128: fast, and 128 bits make an accidental match of two different payloads negligible.
/// </summary>
internal static class RowHash
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    /// <summary>Hashes the id and the payload's UTF-8 JSON, written into a reused per-thread buffer (a million rows a run).</summary>
    public static UInt128 Of(RecordToWrite record)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(record.Id?.ToString("D") ?? "");
            record.Attributes.WriteTo(writer);
            writer.WriteEndArray();
        }

        return XxHash128.HashToUInt128(buffer.WrittenSpan);
    }

    /// <summary>Hashes a key as <see cref="RecordKey.ComparerFor"/> compares it: keys the org finds equal hash alike.</summary>
    public static UInt128 OfKey(string key, KeyCollation collation)
    {
        if (collation == KeyCollation.AccentInsensitive && !Ascii.IsValid(key))
        {
            // Folded text is already upper case.
            return XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(RecordKey.Fold(key, collation)));
        }

        // Called a few times per row and per state entry: upper-case and encode on the stack rather than allocate.
        if (key.Length > MaxStackKey)
        {
            return XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(key.ToUpperInvariant()));
        }

        Span<char> upper = stackalloc char[key.Length];
        key.AsSpan().ToUpperInvariant(upper);
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        return XxHash128.HashToUInt128(utf8[..Encoding.UTF8.GetBytes(upper, utf8)]);
    }

    private const int MaxStackKey = 512;

    public static string Hex(UInt128 hash) => hash.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    public static UInt128 Parse(string hex) => UInt128.Parse(hex, System.Globalization.NumberStyles.HexNumber,
        System.Globalization.CultureInfo.InvariantCulture);
}
