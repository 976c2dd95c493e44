using System.Globalization;
using System.Text.Json;
using System.Text;
using Empower.Sync.Dataverse.Principals;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Planning;
using Empower.Sync.Pipeline.Reporting;
using Empower.Sync.Pipeline.Runtime;
using Empower.Sync.Telemetry;
using Microsoft.DurableTask;

namespace Empower.Sync.Pipeline.Finalizing;

/// <summary>
/// Finalize: append the run's staged failed rows to the failed-rows table in one commit, commit what Dataverse accepted
/// to the published-state table (replacing it when the run published to a new environment or table), write the run
/// report (JSON and Markdown) and, every partition having finished, record the published version and target as the
/// job's watermark. A cancelled or failed run is finalised too — its report says so, where it stopped and why — but
/// leaves the watermark alone, so the next run reads what this one did not finish (and skips what it confirmed).
/// </summary>
public sealed class FinalizeActivity(JobRuntime runtime) : TaskActivity<FinalizeInput, RunSummary>
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    // Finalize runs to its end even when the run is stopping: it is what makes the stop safe.
    public override Task<RunSummary> RunAsync(TaskActivityContext context, FinalizeInput input) => ExecuteAsync(input, CancellationToken.None);

    public async Task<RunSummary> ExecuteAsync(FinalizeInput input, CancellationToken cancellationToken)
    {
        var job = input.Run.Job;
        using var span = RunTelemetry.StartStage("finalize", job, input.Run.RunId);
        var state = runtime.State(job);
        var failed = await FailedRowStaging.ReadAsync(state, input.Partitions.SelectMany(p => p.FailedFiles ?? []), cancellationToken);
        var failedRows = runtime.FailedRows(job);
        await new FailedRowsTable(failedRows, runtime.Time).RecordRunAsync(input.Run.RunId, failed, job.FailedRows?.IncludePayload ?? true, cancellationToken);
        long stateEntries = await runtime.StateTable(job).CommitStagedAsync(input.Run.RunId, replace: input.Read.NewTarget, cancellationToken);

        var p = input.Partitions;
        var rows = p.Aggregate(RowCounts.Zero, (sum, o) => sum + o.Rows);
        string reportPath = RunReport.PathOf(input.Run.RunId);
        var finished = runtime.Time.GetUtcNow();
        var summary = new RunSummary(
            job.Name, input.Run.RunId, input.Version, input.Read.Mode.ToString().ToLowerInvariant(), input.Read.Reason,
                JobDefinitionLoader.NameOf(job.ChangeDetection), p.Count,
            rows, p.Sum(o => o.DeferredThenWritten), p.Sum(o => o.Deferrals), state.Describe(reportPath + ".md"),
            failed.Count > 0 ? failedRows.Describe("") : null, PrincipalUsage.Sum(p.SelectMany(o => o.Usage)),
            Status: input.End.Status ?? (rows.Failed > 0 ? RunStatus.RowsFailed : RunStatus.Succeeded),
            Error: input.End.Error,
            StoppedIn: input.End.Stage,
            PartitionsPlanned: input.PartitionsPlanned,
            Started: new DateTimeOffset(input.Times.Started, TimeSpan.Zero),
            Finished: finished,
            Environment: runtime.Dataverse.ServiceRoot.GetLeftPart(UriPartial.Authority),
            Source: runtime.Source(job).Describe(""),
            JobFile: input.Run.JobFile,
            State: state.Describe(""),
            PrincipalsOut: PrincipalProblem.Distinct(p.SelectMany(o => o.PrincipalsOut)));
        var timings = new
        {
            planSeconds = Math.Round(input.Times.Plan.TotalSeconds, 1),
            publishSeconds = Math.Round(input.Times.Publish.TotalSeconds, 1),
            finalizeSeconds = Math.Round(Math.Max(0, (finished.UtcDateTime - input.Times.FinalizeStarted).TotalSeconds), 1),
            totalSeconds = Math.Round(Math.Max(0, (finished.UtcDateTime - input.Times.Started).TotalSeconds), 1),
            rowsPerSecond = input.Times.Publish > TimeSpan.Zero ? Math.Round(summary.Written / input.Times.Publish.TotalSeconds, 1) : 0,
        };
        // Replaced, not put-if-absent: a re-run of the same run id (after a crash) reports what it did.
        await state.WriteAsync(reportPath + ".json", JsonSerializer.SerializeToUtf8Bytes(new { summary, timings, stateEntries,
            failedRowsByCause = Causes(failed) }, Json), cancellationToken);
        await state.WriteAsync(reportPath + ".md", Encoding.UTF8.GetBytes(RunReport.Markdown(summary, failed) + string.Create(CultureInfo.InvariantCulture,
            $"\nTimings: plan {timings.planSeconds} s, publish {timings.publishSeconds} s ({timings.rowsPerSecond:N1} rows/s written), finalize " +
                $"{timings.finalizeSeconds} s, {timings.totalSeconds} s in all.\n")), cancellationToken);
        if (input.End.Status is null && input.Target is not null)
        {
            long toRetry = failed.Count(f => f.Stage is FailureStage.Publish or FailureStage.Deferral);
            await new Watermark(input.Version, input.Run.RunId, finished, toRetry, input.Target).SaveAsync(state, cancellationToken);
        }

        Record(summary, job, (finished.UtcDateTime - input.Times.Started).TotalSeconds);
        return summary;
    }

    /// <summary>The run's report in the job's state folder, without its extension (<c>.json</c>, <c>.md</c>).</summary>

    private static void Record(RunSummary summary, JobDefinition job, double seconds)
    {
        var jobTag = new KeyValuePair<string, object?>(TelemetryTags.Job, job.Name);
        RunTelemetry.Finished(job, summary.Rows);
        RunTelemetry.Runs.Add(1, jobTag, new("empower.status", summary.Status));
        RunTelemetry.Deferrals.Add(summary.Deferrals, jobTag);
        RunTelemetry.Duration.Record(seconds, jobTag);
    }

    private static IEnumerable<object> Causes(IEnumerable<FailedRow> failed) =>
        failed.GroupBy(f => (f.Stage, f.ErrorCode, Message: f.ErrorMessage.Length > 200 ? f.ErrorMessage[..200] : f.ErrorMessage))
            .OrderByDescending(g => g.Count()).Take(10)
            .Select(g => new { stage = g.Key.Stage.ToString().ToLowerInvariant(), code = g.Key.ErrorCode, message = g.Key.Message, rows = g.Count() });
}
