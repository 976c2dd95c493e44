using Empower.Sync.Pipeline.Planning.Duplicates;

namespace Empower.Sync.Tests.Pipeline.Planning.Duplicates;

/// <summary>Plan's key buckets: every entry lands in exactly one bucket, and each bucket reads back in key, partition, row order.</summary>
public sealed class KeyBucketsTests
{
    [Theory]
    [InlineData(1_000, 1)]
    [InlineData(600_000, 4)]
    public void Every_entry_comes_back_once_from_the_bucket_of_its_hash_in_file_order_within_its_key(long rows, int buckets)
    {
        var random = new Random(7);
        var keys = Enumerable.Range(0, 500).Select(_ => new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64())).ToArray();
        var entries = Enumerable.Range(0, 3_000).Select(i => new KeyEntry(keys[i % keys.Length], i % 3, 10_000 - i)).ToList();
        using var store = new KeyBuckets(rows);
        store.Add(entries[..1_500]);
        store.Add(entries[1_500..]);

        Assert.Equal(buckets, store.Count);
        var read = Enumerable.Range(0, store.Count).Select(store.Read).ToList();
        Assert.Equal(entries.Order(), read.SelectMany(b => b));
        Assert.All(read, bucket => Assert.Equal(bucket.Order(), bucket));
        // A key's entries share one bucket.
        Assert.Equal(keys.Length, read.SelectMany((bucket, b) => bucket.Select(e => (e.Hash, b))).Distinct().Count());
    }
}
