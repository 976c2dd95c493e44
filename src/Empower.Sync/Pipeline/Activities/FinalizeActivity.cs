using System.Globalization;
using System.Text;
using System.Text.Json;
using Empower.Sync.Dataverse.Telemetry;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Reading;
using Empower.Sync.Telemetry;
using Microsoft.DurableTask;

namespace Empower.Sync.Pipeline.Activities;

/// <summary>
/// Finalize: append the run's staged failed rows to the failed-rows table in one commit, commit what Dataverse accepted
/// to the published-state table (replacing it when the run published to a new environment or table), write the run
/// report (JSON and Markdown) and, every partition having finished, record the published version and target as the
/// job's watermark.
/// </summary>
public sealed class FinalizeActivity(JobRuntime runtime) : TaskActivity<FinalizeInput, RunSummary>
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public override async Task<RunSummary> RunAsync(TaskActivityContext context, FinalizeInput input)
    {
        var job = input.Run.Job;
        var cancellationToken = CancellationToken.None;
        using var span = RunTelemetry.StartStage("finalize", job, input.Run.RunId);
        var state = runtime.State(job);
        var failed = await FailedRowStaging.ReadAsync(state, input.Run.RunId, cancellationToken);
        var failedRows = runtime.FailedRows(job);
        await new FailedRowsTable(failedRows, runtime.Time).AppendAsync(failed, job.FailedRows?.IncludePayload ?? true, cancellationToken);
        long stateEntries = await runtime.StateTable(job).CommitStagedAsync(input.Run.RunId, replace: input.Read.NewTarget, cancellationToken);

        var p = input.Partitions;
        string reportPath = $"runs/{input.Run.RunId}/report";
        var summary = new RunSummary(
            job.Name, input.Run.RunId, input.Version, input.Read.Mode.ToString().ToLowerInvariant(), input.Read.Reason, JobDefinitionLoader.NameOf(job.ChangeDetection), p.Count,
            p.Aggregate(RowCounts.Zero, (sum, o) => sum + o.Rows), p.Sum(o => o.DeferredThenWritten), p.Sum(o => o.Deferrals), state.Describe(reportPath + ".md"),
            failed.Count > 0 ? failedRows.Describe("") : null, PrincipalUsage.Sum(p.SelectMany(o => o.Usage)));
        var finished = runtime.Time.GetUtcNow();
        var timings = new
        {
            planSeconds = Math.Round(input.Times.Plan.TotalSeconds, 1),
            publishSeconds = Math.Round(input.Times.Publish.TotalSeconds, 1),
            finalizeSeconds = Math.Round(Math.Max(0, (finished.UtcDateTime - input.Times.FinalizeStarted).TotalSeconds), 1),
            rowsPerSecond = input.Times.Publish > TimeSpan.Zero ? Math.Round(summary.Written / input.Times.Publish.TotalSeconds, 1) : 0,
        };
        await state.WriteIfAbsentAsync(reportPath + ".json", JsonSerializer.SerializeToUtf8Bytes(new { summary, timings, stateEntries, failedRowsByCause = Causes(failed) }, Json), cancellationToken);
        await state.WriteIfAbsentAsync(reportPath + ".md", Encoding.UTF8.GetBytes(Markdown(summary, failed) + string.Create(CultureInfo.InvariantCulture,
            $"\nTimings: plan {timings.planSeconds} s, publish {timings.publishSeconds} s ({timings.rowsPerSecond:N1} rows/s written), finalize {timings.finalizeSeconds} s.\n")), cancellationToken);
        long toRetry = failed.Count(f => f.Stage is FailureStage.Publish or FailureStage.Deferral);
        await new Watermark(input.Version, input.Run.RunId, finished, toRetry, input.Target).SaveAsync(state, cancellationToken);
        Record(summary, job, (finished.UtcDateTime - input.Times.Started).TotalSeconds);

        return summary;
    }

    private static void Record(RunSummary summary, JobDefinition job, double seconds)
    {
        var jobTag = new KeyValuePair<string, object?>(RunTelemetry.JobTag, job.Name);
        var tableTag = new KeyValuePair<string, object?>(RunTelemetry.TableTag, job.Target.Table);
        var r = summary.Rows;
        foreach (var (outcome, rows) in new[] { ("written", r.Written), ("unchanged", r.Unchanged), ("failed", r.Failed), ("superseded", r.Superseded), ("deleted", r.Deleted) })
        {
            RunTelemetry.Rows.Add(rows, jobTag, tableTag, new("empower.outcome", outcome));
        }

        RunTelemetry.Runs.Add(1, jobTag, new("empower.status", summary.Failed > 0 ? "rows_failed" : "succeeded"));
        RunTelemetry.Deferrals.Add(summary.Deferrals, jobTag);
        RunTelemetry.Duration.Record(seconds, jobTag);
    }

    private static IEnumerable<object> Causes(IEnumerable<FailedRow> failed) =>
        failed.GroupBy(f => (f.Stage, f.ErrorCode, Message: f.ErrorMessage.Length > 200 ? f.ErrorMessage[..200] : f.ErrorMessage))
            .OrderByDescending(g => g.Count()).Take(10)
            .Select(g => new { stage = g.Key.Stage.ToString().ToLowerInvariant(), code = g.Key.ErrorCode, message = g.Key.Message, rows = g.Count() });

    private static string Markdown(RunSummary s, IReadOnlyList<FailedRow> failed)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var r = s.Rows;
        text.AppendLine(c, $"# Run {s.RunId} of job {s.Job}").AppendLine();
        text.AppendLine(c, $"Version {(s.Version?.ToString(c) ?? "(Parquet folder)")}, {s.Partitions} partitions. Read: {s.ReadMode} — {s.ReadReason}. Change detection: {s.ChangeDetection}.").AppendLine();
        text.AppendLine("| Rows read | Written | Unchanged (skipped) | Failed | Superseded (same key later in the run) | Deleted | Deletes ignored | Written after a deferral | Deferrals |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        text.AppendLine(c, $"| {r.Read:N0} | {r.Written:N0} | {r.Unchanged:N0} | {r.Failed:N0} | {r.Superseded:N0} | {r.Deleted:N0} | {r.DeletesIgnored:N0} | {s.DeferredThenWritten:N0} | {s.Deferrals} |").AppendLine();
        text.AppendLine(c, $"Read = written + unchanged + failed + superseded + deleted + deletes ignored: {r.Read:N0} = {r.Accounted:N0}.").AppendLine();
        if (s.Principals.Count > 0)
        {
            text.AppendLine("## Principals").AppendLine();
            text.AppendLine("| Principal (client id) | Requests | 429 responses | Retries after transient errors |").AppendLine("|---|---|---|---|");
            foreach (var u in s.Principals)
            {
                text.AppendLine(c, $"| {u.Principal} | {u.Requests:N0} | {u.Throttled:N0} | {u.Retries:N0} |");
            }

            text.AppendLine();
        }

        if (failed.Count > 0)
        {
            text.AppendLine("## Biggest causes of failed rows").AppendLine();
            text.AppendLine("| Rows | Stage | Code | Message |").AppendLine("|---|---|---|---|");
            foreach (var g in failed.GroupBy(f => (f.Stage, f.ErrorCode, f.ErrorMessage)).OrderByDescending(g => g.Count()).Take(10))
            {
                text.AppendLine(c, $"| {g.Count():N0} | {g.Key.Stage.ToString().ToLowerInvariant()} | {g.Key.ErrorCode} | {g.Key.ErrorMessage.Replace("|", "\\|", StringComparison.Ordinal)} |");
            }
        }

        return text.ToString();
    }
}
