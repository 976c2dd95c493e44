using AnyAscii;

namespace Empower.Shared;

/// <summary>
/// Text as a Dataverse collation compares it: upper case, and for an accent-insensitive collation (<c>_CI_AI</c>) Latin letters without
/// their diacritics (<c>é</c> → <c>E</c>, <c>ß</c> → <c>SS</c>, <c>Æ</c> → <c>AE</c>, as SQL Server's <c>_AI</c> collations treat them). The
/// projects run with invariant globalization, where <see cref="string.Normalize()"/> does not decompose, so the letters come from AnyAscii's
/// tables, applied to the Latin blocks only: other scripts keep their letters. One source file, compiled into the emulator (how the
/// emulated org compares) and into Empower.Sync (how the client expects the org to compare), so the two cannot drift apart.
/// </summary>
internal static class TextFolding
{
    public static string Fold(string text, bool accentInsensitive)
    {
        if (!accentInsensitive || System.Text.Ascii.IsValid(text))
        {
            return text.ToUpperInvariant();
        }

        var folded = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (IsLatinWithDiacritics(c))
            {
                folded.Append(c.ToString().Transliterate());
            }
            else
            {
                folded.Append(c);
            }
        }

        return folded.ToString().ToUpperInvariant();
    }

    /// <summary>Compares as <see cref="Fold"/> would, without folding text that is all ASCII.</summary>
    public static int Compare(string x, string y, bool accentInsensitive) =>
        System.Text.Ascii.IsValid(x) && System.Text.Ascii.IsValid(y)
            ? string.Compare(x, y, StringComparison.OrdinalIgnoreCase)
            : string.CompareOrdinal(Fold(x, accentInsensitive), Fold(y, accentInsensitive));

    // Letters of Latin-1 Supplement (not × and ÷), Latin Extended-A and -B, and Latin Extended Additional.
    private static bool IsLatinWithDiacritics(char c) => c is >= '\u00C0' and <= '\u024F' and not '\u00D7' and not '\u00F7' or >= '\u1E00' and <= '\u1EFF';
}
