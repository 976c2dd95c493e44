using System.Globalization;
using Empower.Sync.Lake.Parquet;

namespace Empower.Sync.Lake.Rows;

/// <summary>A cell as invariant text: ISO dates and timestamps, base64 binary, lower-case booleans.</summary>
public static class CellText
{
    public static string Format(object value) => value switch
    {
        string s => s,
        DateTime t => JsonCellConverter.FormatTimestamp(t),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        byte[] b => Convert.ToBase64String(b),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
