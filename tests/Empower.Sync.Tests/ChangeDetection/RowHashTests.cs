using System.IO.Hashing;
using System.Text;
using Empower.Sync.ChangeDetection;

namespace Empower.Sync.Tests.ChangeDetection;

public sealed class RowHashTests
{
    [Theory]
    [InlineData("\"p1@example.com\"", "\"P1@EXAMPLE.COM\"")]
    [InlineData("\"Ærøskøbing\"|42", "\"ærøskøbing\"|42")]
    [InlineData("\"straße\"", "\"STRASSE\"")]
    public void Keys_hash_as_Dataverse_compares_them_ignoring_case_but_not_spelling(string key, string other)
    {
        bool sameIgnoringCase = string.Equals(key, other, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(sameIgnoringCase, RowHash.OfKey(key) == RowHash.OfKey(other));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(5000)]
    public void Keys_of_any_length_hash_their_upper_case_UTF8(int length)
    {
        string key = string.Concat(Enumerable.Range(0, length).Select(i => "aÉß€𝄞"[i % 5]));

        Assert.Equal(XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(key.ToUpperInvariant())), RowHash.OfKey(key));
    }
}
