using Empower.Sync.Jobs;
using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Lake;
using Empower.Sync.Pipeline.Contracts;

namespace Empower.Sync.Pipeline.Planning;

/// <summary>
/// Chooses between a full read and reading only the changes since the watermark. Changes are read when the job has
/// published a version before and every commit since then is readable as changes: it wrote Change Data Feed files, or
/// it only added files (appends). Anything else — a first run, <c>--full</c>, a pinned version, a Parquet folder, a
/// commit that rewrote files without Change Data Feed (overwrite, merge, delete, update), commits cleaned up from the
/// log, rows the last run must retry, or a job that now publishes elsewhere or with another mapping — reads in full, and
/// change detection skips what did not change (except for a new environment or table, which gets every row). A resend
/// reads in full and sends every row, as for a new table: the published state is rebuilt from what Dataverse confirms.
/// </summary>
internal static class ReadPlanner
{
    /// <summary>The read to do, and for a read of changes the commits it read to decide (so Plan lists their files without reading them again).</summary>
    public static async Task<(ReadPlan Read, IReadOnlyList<DeltaVersionChanges>? Changes)> PlanAsync(
        JobDefinition job, LakeTable table, ILakeStorage source, Watermark? watermark, PublishTarget target, bool full,
            CancellationToken cancellationToken, bool resend = false)
    {
        if (resend)
        {
            return (ReadPlan.Full("a resend was asked for (--resend): every row is sent, none skipped as unchanged, and the published state is rebuilt from " +
                "what Dataverse confirms") with { NewTarget = true }, null);
        }

        if (watermark?.Target is { } last && last.IsOtherTableThan(target))
        {
            return (ReadPlan.Full($"the job now publishes to {target}; its last run ({watermark.RunId}) published to {last}, so every row is sent, none " +
                $"skipped as unchanged") with { NewTarget = true }, null);
        }

        if (full)
        {
            return (ReadPlan.Full("a full read was asked for (--full)"), null);
        }

        if (table.Version is not { } version)
        {
            return (ReadPlan.Full("the source is a Parquet folder, which has no versions to compare"), null);
        }

        if (job.Source.Version is { } pinned)
        {
            return (ReadPlan.Full($"the job pins source.version {pinned}"), null);
        }

        if (watermark?.Version is not { } published)
        {
            return (ReadPlan.Full("first run of the job: nothing was published before"), null);
        }

        if (watermark.Target is { } previous && previous.Definition != target.Definition)
        {
            return (ReadPlan.Full($"the job's mode, match, columns or null handling changed since the last run ({watermark.RunId}), so rows published " +
                $"before may lack what it now sends"), null);
        }

        if (published > version)
        {
            return (ReadPlan.Full($"the watermark (version {published}) is newer than the table (version {version}): the table was re-created"), null);
        }

        if (watermark.RowsToRetry > 0)
        {
            return (ReadPlan.Full($"the last run ({watermark.RunId}) left {watermark.RowsToRetry:N0} rows that Dataverse refused or that stayed throttled; " +
                $"a full read retries them"), null);
        }

        IReadOnlyList<DeltaVersionChanges> changes;
        try
        {
            changes = await (await DeltaTable.OpenAsync(source, cancellationToken)).ChangesAsync(published, version, cancellationToken);
        }
        catch (LakeFormatException ex)
        {
            return (ReadPlan.Full($"the changes since version {published} cannot be read: {ex.Message}"), null);
        }

        if (changes.FirstOrDefault(c => c.ChangeData.Count == 0 && c.Removed.Any(r => r.DataChange)) is { } rewrite)
        {
            return (ReadPlan.Full($"version {rewrite.Version} ({rewrite.Operation ?? "unknown operation"}) rewrote files and wrote no Change Data Feed, so " +
                $"its changed rows cannot be told apart"), null);
        }

        int cdf = changes.Count(c => c.ChangeData.Count > 0);
        string reason = changes.Count == 0
            ? $"no commit since version {published}"
            : $"changes of {(changes.Count == 1 ? $"version {version}" : $"versions {published + 1}–{version}")}: {cdf} with Change Data Feed, " +
                $"{changes.Count - cdf} appending files";
        return (new ReadPlan(ReadMode.Changes, published, reason), changes);
    }
}
