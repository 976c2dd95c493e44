using System.Runtime.CompilerServices;
using Empower.Sync.ChangeDetection;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Partitioning;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Mapping;
using Empower.Sync.Pipeline.Planning.Duplicates;
using Empower.Sync.Pipeline.Publishing.Changes;

namespace Empower.Sync.Pipeline.Publishing;

/// <summary>
/// Prepare for one partition, a window at a time as its rows are read, so a partition's memory is bounded by the
/// window and the reader's batch, not by its row count. Rows that do not convert fail with stage <c>prepare</c>; keys
/// that repeat are resolved as Plan found them (<see cref="RunDuplicates"/>): a row a later row of its key replaces is
/// superseded, and with <c>duplicates: fail</c> every row of such a key fails. Reading changes, pre-images of updates
/// are passed over and deleted rows need only their key. Given the published state (<c>lake-state</c>) and with
/// <c>lastWins</c>, a row whose values were already published is counted unchanged at once. The rows of a file or row
/// group that cannot be read fail with stage <c>read</c> and the reason, and the rest of the partition goes on.
/// After the last window, <c>Read = rows in windows + Failed + Superseded + Unchanged</c>.
/// </summary>
internal sealed class PartitionPreparer(
    MappingPlan plan, LakeTableReader reader, RunDuplicates duplicates, Func<FailureStage, string, long, string?, string, PreparedRow?, FailedRow> fail,
        PublishedState? state = null)
{
    public long Read { get; private set; }

    public long Superseded { get; private set; }

    public long Unchanged { get; private set; }

    public List<FailedRow> Failed { get; } = [];

    /// <summary>The rows to publish, in windows of at most <paramref name="windowRows"/>; with <paramref name="only"/>, just those rows.</summary>
    public async IAsyncEnumerable<IReadOnlyList<PreparedRow>> PrepareAsync(
        WorkPartition partition, IReadOnlySet<long>? only, int windowRows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var mapper = new RowMapper(plan);
        var keyMapper = new RowMapper(RecordKey.KeysOnly(plan));
        var superseded = duplicates.SupersededIn(partition.Index);
        var failing = duplicates.Failing();
        // With "fail", the window compares rows with the state when it sends them, as before duplicates were found early.
        var compare = plan.Job.Duplicates == DuplicateHandling.Fail ? null : state;
        var unreadable = new List<UnreadableRows>();
        var window = new List<PreparedRow>();
        await foreach (var source in PartitionRows.ReadAsync(reader, partition, unreadable, cancellationToken))
        {
            if (only is not null && !only.Contains(source.Id))
            {
                continue;
            }

            Read++;
            // A deleted row needs only its key: its other columns may not even convert.
            var mapped = (source.IsDelete ? keyMapper : mapper).Map(source.Batch, source.BatchRow, source.Id);
            if (mapped.Failure is { } failure)
            {
                // The key when its own columns convert: the failure can then be found by key and seen written later.
                string? key = RecordKey.CanRepeat(plan) && keyMapper.Map(source.Batch, source.BatchRow, source.Id).Record is { } keyed
                    ? RecordKey.Of(plan, keyed) : null;
                Failed.Add(fail(FailureStage.Prepare, source.Batch.File, failure.RowIndex, key,
                    $"{failure.Column} → {failure.Attribute}: {failure.Reason}", null));
                continue;
            }

            if (superseded.Contains(source.Id))
            {
                Superseded++;
                continue;
            }

            var row = new PreparedRow(mapped.Record!, RecordKey.Of(plan, mapped.Record!), source.Batch.File, source.RowIndex, source.IsDelete);
            var keyHash = RowHash.OfKey(row.Key, plan.KeyCollation);
            if (failing.Contains(keyHash))
            {
                Failed.Add(fail(FailureStage.Prepare, row.File, row.Row, row.Key, SameKey(row.Key), row));
                continue;
            }

            if (compare is not null && !row.Delete)
            {
                row = row with { Hash = RowHash.Of(row.Record) };
                if (compare.IsUnchanged(keyHash, row.Hash.Value))
                {
                    Unchanged++;
                    continue;
                }
            }

            window.Add(row);
            if (window.Count >= windowRows)
            {
                yield return window;
                window = [];
            }
        }

        if (window.Count > 0)
        {
            yield return window;
        }

        foreach (var part in unreadable)
        {
            // A later try (only) fails just its rows that became unreadable since: the first try recorded the others.
            var rowsLost = only is null ? part.RowIndexes : [.. part.RowIndexes.Where(row => only.Contains(PartitionRows.Id(part.Item, row)))];
            Read += rowsLost.Count;
            Failed.AddRange(rowsLost.Select(row => fail(FailureStage.Read, part.File, row, null, $"the file could not be read: {part.Reason}", null)));
        }
    }

    private static string SameKey(string key) => $"another row of this run has the same key {key} (duplicates: fail)";
}
