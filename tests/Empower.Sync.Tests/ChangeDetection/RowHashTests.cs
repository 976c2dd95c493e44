using System.IO.Hashing;
using System.Text;
using Empower.Sync.ChangeDetection;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Mapping;

namespace Empower.Sync.Tests.ChangeDetection;

public sealed class RowHashTests
{
    [Theory]
    [InlineData("\"p1@example.com\"", "\"P1@EXAMPLE.COM\"", true, true)]
    [InlineData("\"Ærøskøbing\"|42", "\"ærøskøbing\"|42", true, true)]
    [InlineData("\"café-1\"", "\"CAFE-1\"", true, false)]
    [InlineData("\"straße\"", "\"STRASSE\"", true, false)]
    [InlineData("\"p1\"", "\"p2\"", false, false)]
    public void Keys_hash_alike_exactly_when_the_org_compares_them_equal(string key, string other, bool accentInsensitive, bool accentSensitive)
    {
        foreach (var (collation, same) in new[] { (KeyCollation.AccentInsensitive, accentInsensitive), (KeyCollation.AccentSensitive, accentSensitive) })
        {
            Assert.Equal(same, RowHash.OfKey(key, collation) == RowHash.OfKey(other, collation));
            Assert.Equal(same, RecordKey.ComparerFor(collation).Equals(key, other));
            Assert.Equal(same, RecordKey.ComparerFor(collation).GetHashCode(key) == RecordKey.ComparerFor(collation).GetHashCode(other));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(5000)]
    public void Keys_of_any_length_hash_their_folded_UTF8(int length)
    {
        string key = string.Concat(Enumerable.Range(0, length).Select(i => "aÉß€𝄞"[i % 5]));

        Assert.Equal(XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(key.ToUpperInvariant())), RowHash.OfKey(key, KeyCollation.AccentSensitive));
        Assert.Equal(XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(RecordKey.Fold(key, KeyCollation.AccentInsensitive))),
            RowHash.OfKey(key, KeyCollation.AccentInsensitive));
    }
}
