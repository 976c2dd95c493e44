using System.Globalization;
using Empower.Sync.Lake.Rows;

namespace Empower.Testing.Lake;

/// <summary>Renders rows as comparable text (columns by name), so two readings of a table compare order-insensitively.</summary>
internal static class RowText
{
    public static List<string> Rows(IEnumerable<RowBatch> batches, IReadOnlyCollection<string>? columns = null)
    {
        var rows = new List<string>();
        foreach (var batch in batches)
        {
            var vectors = batch.Columns
                .Where(c => columns is null || columns.Contains(c.Column.Name))
                .OrderBy(c => c.Column.Name, StringComparer.Ordinal)
                .ToList();
            for (int row = 0; row < batch.RowCount; row++)
            {
                rows.Add(string.Join(" | ", vectors.Select(v => $"{v.Column.Name}={Format(v.GetValue(row))}")));
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        DateTime t => CellText.Timestamp(t),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        decimal m => Normalize(m),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        byte[] b => Convert.ToBase64String(b),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    private static string Normalize(decimal value)
    {
        string text = value.ToString(CultureInfo.InvariantCulture);
        return text.Contains('.') ? text.TrimEnd('0').TrimEnd('.') : text;
    }
}
