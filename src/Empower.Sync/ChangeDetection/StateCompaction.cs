using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Lake.Writing;
using Empower.Sync.Mapping;

namespace Empower.Sync.ChangeDetection;

/// <summary>
/// Rewrites the published-state table in memory bounded by <see cref="BucketKeys"/> entries, whatever its size: one
/// pass spreads the entries by key over buckets of about that many, in table order, into scratch files on local disk;
/// then each bucket keeps the latest entry of each key, drops the deleted ones, and becomes one data file of the
/// compacted version. Its cost is linear: the table is read once and every entry written twice.
/// </summary>
internal sealed class StateCompaction(ILakeStorage storage, DeltaAppendWriter writer, TimeProvider time, KeyCollation collation,
    int bucketKeys = StateCompaction.BucketKeys)
{
    /// <summary>Keys per bucket, and so per data file the compaction writes.</summary>
    public const int BucketKeys = 50_000;

    /// <summary>Files smaller than half a bucket after which Finalize compacts.</summary>
    public const int CompactAfterSmallFiles = 32;

    /// <summary>Whether the runs since the last compaction added enough small files to compact again.</summary>
    public static bool IsDue(LakeTable table) => table.Files.Count(f => (f.PhysicalRows ?? 0) < BucketKeys / 2) > CompactAfterSmallFiles;

    public async Task CompactAsync(LakeTable table, CancellationToken cancellationToken)
    {
        long rows = table.Files.Sum(f => f.PhysicalRows ?? bucketKeys);
        int buckets = (int)Math.Max(1, (rows + bucketKeys - 1) / bucketKeys);
        using var spill = new StateSpill(buckets);
        var now = time.GetUtcNow();
        await foreach (var entry in StateEntries.ReadAsync(storage, table, withDetails: true, cancellationToken))
        {
            // Keys the comparer finds equal must meet in one bucket; the hash need only be stable within this process.
            int bucket = (int)((uint)RecordKey.ComparerFor(collation).GetHashCode(entry.Key) % (uint)buckets);
            // Which run published a key, and when, survive compaction: failed-rows list tells rows since written by them.
            spill.Add(bucket, entry with { PublishedAt = entry.PublishedAt ?? now });
        }

        var files = new List<DataFile>();
        for (int bucket = 0; bucket < buckets; bucket++)
        {
            if (await WriteBucketAsync(spill, bucket, cancellationToken) is { } file)
            {
                files.Add(file);
            }

            // A bucket's entries, rows and file (tens of MB) lived long enough to reach gen 2 and are all garbage now;
            // collected here, they do not pile up until the GC's own gen-2 budget runs out (+90 MiB at 5,000,000 keys).
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        }

        await writer.CommitAsync(files, [.. table.Files.Select(f => f.Path)], "COMPACT", cancellationToken);
    }

    /// <summary>The bucket's latest entry of each key, but the deleted ones, as one data file; null when none is left.</summary>
    private async Task<DataFile?> WriteBucketAsync(StateSpill spill, int bucket, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<string, StateEntry>(RecordKey.ComparerFor(collation));
        foreach (var entry in spill.Read(bucket))
        {
            if (entry.Deleted)
            {
                latest.Remove(entry.Key);
            }
            else
            {
                latest[entry.Key] = entry;
            }
        }

        return latest.Count == 0 ? null : await writer.WriteFileAsync(
            $"compacted-{Guid.NewGuid():N}.snappy.parquet", [.. latest.Values.Select(e => StateEntries.Row(e, e.RunId, e.PublishedAt!.Value))],
                cancellationToken);
    }
}
