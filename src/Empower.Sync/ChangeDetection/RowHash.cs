using System.IO.Hashing;
using System.Text;
using Empower.Sync.Dataverse.Writing;

namespace Empower.Sync.ChangeDetection;

/// <summary>
/// Hashes for change detection: of a record's mapped values (its id and the Web API payload, whose values the mapping
/// already normalised — UTC datetimes, rounded decimals, choice values, lookup bindings), and of a record key for the
/// in-memory index. XxHash128: fast, and 128 bits make an accidental match of two different payloads negligible.
/// </summary>
public static class RowHash
{
    public static UInt128 Of(RecordToWrite record) =>
        XxHash128.HashToUInt128(Encoding.UTF8.GetBytes($"{record.Id:D}\n{record.Attributes.ToJsonString()}"));

    public static UInt128 OfKey(string key) => XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(key));

    public static string Hex(UInt128 hash) => hash.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    public static UInt128 Parse(string hex) => UInt128.Parse(hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
}
