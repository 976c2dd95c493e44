using System.Diagnostics;
using System.Text.Json.Nodes;
using Empower.Sync.Dataverse;
using Empower.Sync.Dataverse.Errors;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Pipeline.Reporting;

namespace Empower.Sync.Ingestion;

/// <summary>
/// What one ingest run did; <c>read = created + updated + deleted + deletesNotFound + filteredOut</c>.
/// <see cref="FilteredOut"/> counts records read that the job's filter leaves out (removed from the table when it held
/// them); <see cref="ColumnChanges"/> names each column the run added to or dropped from the table, and why.
/// </summary>
public sealed record IngestResult(
    string Job, string RunId, string Mode, string Reason, long Read, long Created, long Updated, long Deleted, long DeletesNotFound,
    long Version, int Pages, int FilesAdded, int FilesRemoved, IReadOnlyList<string> SkippedColumns, TimeSpan Duration,
    IReadOnlyList<string> ColumnChanges, long FilteredOut)
{
    /// <summary>Durable timers the run waited on because Dataverse throttled past the sender's wait (Functions app only).</summary>
    public int Deferrals { get; init; }
}

/// <summary>
/// One ingest run: the job checked against the table's metadata, then a snapshot (first run, a new column set, or a
/// delta link Dataverse refused) or the changes since the link the table's last commit holds, applied in one commit
/// together with the next link. A crash before the commit leaves the table and its link as they were, so the next run
/// reads the same changes again; after it, the next run reads on from the new link.
/// </summary>
public sealed class IngestRunner(DataverseClient dataverse, TimeProvider time)
{
    public async Task<(EntityMetadata Table, IngestColumns.Plan Plan, IngestFilter Filter)> CheckAsync(IngestJob job, CancellationToken cancellationToken)
    {
        EntityMetadata table;
        try
        {
            table = await dataverse.Metadata.GetAsync(job.From.Table, cancellationToken);
        }
        catch (DataverseRequestException ex) when (ex.Error is { Status: 404 })
        {
            throw new JobConfigurationException(job.Name, [$"from.table '{job.From.Table}': {ex.Message}"]);
        }

        var plan = IngestColumns.For(table, job.From.Columns);
        var problems = plan.Problems.ToList();
        var filter = IngestFilter.For(table, plan, job.From.Filter, problems);
        if (!table.ChangeTracking)
        {
            problems.Insert(0, $"from.table '{table.LogicalName}' does not have change tracking enabled; turn on Track changes for it " +
                $"(docs/ingestion.md), then run again.");
        }

        return problems.Count > 0 ? throw new JobConfigurationException(job.Name, problems) : (table, plan, filter);
    }

    /// <summary>One whole run, throttling waited out in place (the CLI, the tests).</summary>
    public async Task<IngestResult> RunAsync(IngestJob job, IngestTable target, string runId, CancellationToken cancellationToken) =>
        (await StepAsync(job, target, runId, resume: null, deferToCaller: false, cancellationToken)).Result!;

    /// <summary>
    /// One step of a run: with <paramref name="deferToCaller"/>, a page throttled past the sender's wait ends the step
    /// with the time to ask again (and, for a snapshot, where to resume) instead of waiting, so the caller waits on a
    /// durable timer (layer 2) and calls again with <paramref name="resume"/>.
    /// </summary>
    internal async Task<IngestStep> StepAsync(IngestJob job, IngestTable target, string runId, IngestResume? resume, bool deferToCaller,
        CancellationToken cancellationToken)
    {
        using var span = IngestTelemetry.StartStep(job, runId);
        var step = await StepCoreAsync(job, target, runId, resume, deferToCaller, cancellationToken);
        if (step.Result is { } result)
        {
            IngestTelemetry.Finished(job, result);
        }

        return step;
    }

    private async Task<IngestStep> StepCoreAsync(IngestJob job, IngestTable target, string runId, IngestResume? resume, bool deferToCaller,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var (table, plan, filter) = await CheckAsync(job, cancellationToken);
        var schema = new LakeSchema([.. plan.Columns.Select(c => c.Field)]);
        string schemaKey = string.Join(",", schema.Fields.Select(f => $"{f.Name}:{f.Type}"));
        var state = await target.StateAsync(job.Name, cancellationToken);
        var reader = new ChangeReader(dataverse.Sender, time, deferToCaller, records => IngestTelemetry.Page(job, records));
        if (resume is not null && (resume.ReadVersion != state.Version || resume.Schema != schemaKey))
        {
            // The table or the columns moved on while the snapshot waited: its files are of another table; read again.
            resume = null;
        }

        var columnChanges = state.Schema is null ? [] : ColumnChanges(state.Schema, schema, table);
        string reason = state.DeltaLink is null ? (state.Version is null ? "first run of the job" : "the table holds no delta link of this job")
            : !state.DeltaLink.StartsWith(dataverse.ServiceRoot.AbsoluteUri, StringComparison.OrdinalIgnoreCase)
                ? $"the job now reads {dataverse.ServiceRoot}, not the environment of the last run's link"
            : state.Schema is not null && !state.Schema.Fields.SequenceEqual(schema.Fields)
                ? $"the columns changed since the last run ({Counted.Of(columnChanges.Count, "change")})"
            : "";
        SnapshotWriter? snapshot = null;
        long filteredOut = resume?.FilteredOut ?? 0;
        Task<ChangeSet> SnapshotAsync()
        {
            snapshot = target.BeginSnapshot(schema, table.LogicalName, resume);
            return reader.ReadSnapshotAsync(table, plan.Select, job.PageSize, (page, token) =>
            {
                var kept = page.Where(filter.Matches).ToList();
                filteredOut += page.Count - kept.Count;
                return snapshot.AddAsync(kept.Select(r => plan.Columns.Select(c => c.Read(r)).ToArray()), token);
            }, cancellationToken, resume?.NextPage);
        }

        ChangeSet changes;
        try
        {
            if (resume is not null)
            {
                reason = resume.Reason;
                changes = await SnapshotAsync();
            }
            else
            {
                try
                {
                    // A link the table holds and can use is followed; otherwise the whole table is read.
                    changes = reason.Length == 0 ? await reader.ReadChangesAsync(table, state.DeltaLink!, job.PageSize, cancellationToken)
                        : await SnapshotAsync();
                }
                catch (DeltaLinkRefusedException ex)
                {
                    reason = $"Dataverse refused the last delta link ({ex.Message})";
                    changes = await SnapshotAsync();
                }
            }
        }
        catch (PageDeferredException deferred)
        {
            // A changes read starts again from the table's link; a snapshot resumes at the page it was refused.
            return snapshot is null ? new IngestStep(null, deferred.RetryAt, null) : new IngestStep(null, deferred.RetryAt, new IngestResume(
                state.Version, schemaKey, reason, deferred.Page, await snapshot.SuspendAsync(cancellationToken),
                snapshot.Rows + filteredOut, snapshot.Rows, filteredOut, (resume?.Pages ?? 0) + deferred.PagesRead));
        }

        long records = (resume?.Records ?? 0) + changes.Records;
        int pages = (resume?.Pages ?? 0) + changes.Pages;

        string mode = changes.Snapshot ? "snapshot" : "changes";
        if (!changes.Snapshot && changes.Upserts.Count == 0 && changes.Deleted.Count == 0)
        {
            // Nothing to commit: the table and its link stay as they were (a quiet table polled every minute adds no versions).
            return new IngestStep(
                new IngestResult(job.Name, runId, mode, "nothing changed since the last run", 0, 0, 0, 0, 0, state.Version!.Value, pages, 0, 0,
                    plan.Skipped, watch.Elapsed, [], 0), null, null);
        }

        // A changed record that does not match the filter (any more) leaves the table if it was there; tested once each.
        var matched = changes.Upserts.ToLookup(filter.Matches);
        var (kept, left) = (matched[true].ToList(), matched[false].ToList());
        filteredOut += left.Count;
        var info = new JsonObject
        {
            ["job"] = job.Name,
            ["runId"] = runId,
            ["sequence"] = state.Sequence + 1,
            ["mode"] = mode,
            ["deltaLink"] = changes.DeltaLink,
            ["table"] = table.LogicalName,
            ["upserts"] = snapshot?.Rows ?? kept.Count,
            ["deletes"] = changes.Deleted.Count,
        };
        var applied = snapshot is not null
            ? await target.ReplaceAsync(state, schema, snapshot, info, cancellationToken)
            : await target.ApplyAsync(
                state, schema, table.PrimaryIdAttribute, [.. kept.Select(r => plan.Columns.Select(c => c.Read(r)).ToArray())], changes.Deleted,
                [.. left.Select(r => (string)r[table.PrimaryIdAttribute]!)], info, cancellationToken);
        return new IngestStep(
            new IngestResult(
                job.Name, runId, mode, reason.Length > 0 ? reason : "changes since the last run's delta link",
                records, applied.Created, applied.Updated, applied.Deleted, applied.DeletesNotFound, applied.Version, pages, applied.FilesAdded,
                applied.FilesRemoved, plan.Skipped, watch.Elapsed, reason.Length > 0 && changes.Snapshot ? columnChanges : [], filteredOut),
            null, null);
    }

    /// <summary>
    /// The columns a new schema adds and drops against the table's, each with its cause: an attribute created in
    /// Dataverse (a job taking every column takes it), or one Dataverse no longer has, or the job's list. A dropped
    /// column is gone from the latest version only; earlier versions keep its values (Delta time travel).
    /// </summary>
    private static List<string> ColumnChanges(LakeSchema before, LakeSchema after, EntityMetadata table)
    {
        var old = before.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var now = after.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var changes = after.Fields.Where(f => !old.Contains(f.Name)).Select(f => $"added '{f.Name}' ({f.Type})").ToList();
        foreach (var field in before.Fields.Where(f => !now.Contains(f.Name)))
        {
            bool inDataverse = table.Attributes.ContainsKey(field.Name)
                || (field.Name.EndsWith("_label", StringComparison.Ordinal) || field.Name.EndsWith("_table", StringComparison.Ordinal))
                    && table.Attributes.ContainsKey(field.Name[..^6]);
            changes.Add(inDataverse
                ? $"dropped '{field.Name}': the job's from.columns no longer takes it; earlier versions of the table keep its values"
                : $"dropped '{field.Name}': '{table.LogicalName}' no longer has that attribute; earlier versions of the table keep its values");
        }

        return changes;
    }
}
