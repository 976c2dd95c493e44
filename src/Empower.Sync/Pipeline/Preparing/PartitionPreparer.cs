using Empower.Sync.ChangeDetection;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Partitioning;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Mapping;
using Empower.Sync.Pipeline.Duplicates;

namespace Empower.Sync.Pipeline.Preparing;

/// <summary>
/// Prepare for one partition: read its rows (or just <c>only</c>), map them — rows that do not convert fail with stage
/// <c>prepare</c> — and resolve duplicate keys: within the partition the last row wins (or all fail, per the job's
/// <c>duplicates</c>), and keys Plan found in a later partition are left to it. Reading changes, pre-images of updates
/// are not rows of the table and are passed over, and deleted rows need only their key. Given the published state
/// (<c>lake-state</c>) and with <c>lastWins</c>, a row whose values were already published is counted unchanged at once
/// and only its key hash is kept: an unchanged million-row table is not held in memory as payloads. The rows of a file or
/// row group that cannot be read fail with stage <c>read</c> and the reason, and the rest of the partition goes on.
/// </summary>
public sealed class PartitionPreparer(
    MappingPlan plan, LakeTableReader reader, RunDuplicates duplicates, Func<FailureStage, string, long, string?, string, PreparedRow?, FailedRow> fail, PublishedState? state = null)
{
    public async Task<PreparedPartition> PrepareAsync(WorkPartition partition, IReadOnlySet<long>? only, CancellationToken cancellationToken)
    {
        var mapper = new RowMapper(plan);
        var keyMapper = new RowMapper(RecordKey.KeysOnly(plan));
        var later = duplicates.SupersededIn(partition.Index);
        var failing = duplicates.FailingKeys.ToHashSet(RecordKey.Comparer);
        bool failDuplicates = plan.Job.Duplicates == DuplicateHandling.Fail;
        var failed = new List<FailedRow>();
        var rows = new Dictionary<string, PreparedRow>(RecordKey.Comparer);
        // With "fail", a duplicate needs both rows' payloads for the failed-rows table, so nothing is dropped early.
        var compare = failDuplicates ? null : state;
        var unchanged = new HashSet<UInt128>();
        long read = 0, superseded = 0;
        var unreadable = new List<UnreadableRows>();
        await foreach (var source in PartitionRows.ReadAsync(reader, partition, mapper, unreadable, cancellationToken))
        {
            if (only is not null && !only.Contains(source.Id))
            {
                continue;
            }

            read++;
            bool delete = source.ChangeType == "delete";
            // A deleted row needs only its key: its other columns may not even convert.
            var mapped = delete ? keyMapper.Map(source.Batch, source.BatchRow, source.Id) : source.Mapped;
            if (mapped.Failure is { } failure)
            {
                // The key when its own columns convert: the failure can then be found by key and seen written later.
                string? key = !delete && RecordKey.CanRepeat(plan) && keyMapper.Map(source.Batch, source.BatchRow, source.Id).Record is { } keyed ? RecordKey.Of(plan, keyed) : null;
                failed.Add(fail(FailureStage.Prepare, source.Batch.File, failure.RowIndex, key, $"{failure.Column} → {failure.Attribute}: {failure.Reason}", null));
                continue;
            }

            var row = new PreparedRow(mapped.Record!, RecordKey.Of(plan, mapped.Record!), source.Batch.File, source.RowIndex, delete);
            if (failing.Contains(row.Key))
            {
                failed.Add(fail(FailureStage.Prepare, row.File, row.Row, row.Key, SameKey(row.Key), row));
            }
            else if (later.Contains(row.Key))
            {
                superseded++;
            }
            else if (rows.Remove(row.Key, out var earlier) && failDuplicates && source.ChangeType is null)
            {
                failed.Add(fail(FailureStage.Prepare, earlier.File, earlier.Row, row.Key, SameKey(row.Key), earlier));
                failed.Add(fail(FailureStage.Prepare, row.File, row.Row, row.Key, SameKey(row.Key), row));
                failing.Add(row.Key);
            }
            else
            {
                var keyHash = compare is null ? default : RowHash.OfKey(row.Key);
                bool replaces = earlier is not null || compare is not null && unchanged.Remove(keyHash);
                superseded += replaces ? 1 : 0;
                if (compare is not null && !delete)
                {
                    row = row with { Hash = RowHash.Of(row.Record) };
                }

                if (compare is not null && row.Hash is { } hash && compare.IsUnchanged(keyHash, hash))
                {
                    unchanged.Add(keyHash);
                }
                else
                {
                    rows[row.Key] = row;
                }
            }
        }

        foreach (var part in unreadable)
        {
            // A later try (only) fails just its rows that became unreadable since: the first try recorded the others.
            var rowsLost = only is null ? part.RowIndexes : [.. part.RowIndexes.Where(row => only.Contains(PartitionRows.Id(part.Item, row)))];
            read += rowsLost.Count;
            failed.AddRange(rowsLost.Select(row => fail(FailureStage.Read, part.File, row, null, $"the file could not be read: {part.Reason}", null)));
        }

        return new PreparedPartition([.. rows.Values], failed, read, superseded, unchanged.Count);
    }

    private static string SameKey(string key) => $"another row of this run has the same key {key} (duplicates: fail)";
}
