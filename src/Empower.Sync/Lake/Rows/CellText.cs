using System.Globalization;

namespace Empower.Sync.Lake.Rows;

/// <summary>A cell as invariant text: ISO dates and timestamps, base64 binary, lower-case booleans.</summary>
public static class CellText
{
    public static string Format(object value) => value switch
    {
        string s => s,
        DateTime t => Timestamp(t),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        byte[] b => Convert.ToBase64String(b),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>UTC timestamps end in Z; timestamps without zone (timestamp_ntz) have no suffix.</summary>
    public static string Timestamp(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateTimeKind.Utc => value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        _ => value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
    };
}
