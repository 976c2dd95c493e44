using System.Globalization;
using System.Text;
using Empower.Sync.FailedRows;
using Empower.Sync.Pipeline.Contracts;

namespace Empower.Sync.Pipeline.Reporting;

/// <summary>The Markdown run report: how the run ended, where it ran, where the rows went, principals, biggest causes of failed rows.</summary>
public static class RunReport
{
    /// <summary>Where a run's report is kept in the state folder, without extension (<c>.json</c> and <c>.md</c>): a run is over when it is there.</summary>
    public static string PathOf(string runId) => $"runs/{runId}/report";

    public static string Markdown(RunSummary s, IReadOnlyList<FailedRow> failed)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var r = s.Rows;
        text.AppendLine(c, $"# Run {s.RunId} of job {s.Job}: {s.Status.Replace('_', ' ')}").AppendLine();
        if (s.Error is not null)
        {
            text.AppendLine(c, $"**The run stopped during {s.StoppedIn}: {s.Error}** It finished {s.Partitions} of " +
                $"{Counted.Of(s.PartitionsPlanned, "partition")}; what Dataverse confirmed is recorded, and the next run sends the rest.").AppendLine();
        }

        text.AppendLine(c, $"- Job file: {s.JobFile ?? "(not from a file)"}");
        text.AppendLine(c, $"- Source: {s.Source}, version {(s.Version?.ToString(c) ?? "(Parquet folder or none)")}");
        text.AppendLine(c, $"- Target: {s.Environment}");
        text.AppendLine(c, $"- State: {s.State}");
        text.AppendLine(c, $"- Started {s.Started:u}, finished {s.Finished:u} ({(s.Finished - s.Started)?.TotalSeconds.ToString("N1", c)} s)").AppendLine();
        text.AppendLine(c, $"{Counted.Of(s.Partitions, "partition")}. Read: {s.ReadMode} — {s.ReadReason}. Change detection: " +
            $"{s.ChangeDetection}.").AppendLine();
        text.AppendLine("| Rows read | Written | Unchanged (skipped) | Failed | Superseded (same key later in the run) | Deleted | Deletes ignored | Not " +
            "sent (run stopped) | Written after a deferral | Deferrals |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        text.AppendLine(c, $"| {r.Read:N0} | {r.Written:N0} | {r.Unchanged:N0} | {r.Failed:N0} | {r.Superseded:N0} | {r.Deleted:N0} | {r.DeletesIgnored:N0} " +
            $"| {r.NotSent:N0} | {s.DeferredThenWritten:N0} | {s.Deferrals} |").AppendLine();
        text.AppendLine(c, $"Read = written + unchanged + failed + superseded + deleted + deletes ignored + not sent: {r.Read:N0} = " +
            $"{r.Accounted:N0}.").AppendLine();
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

        if (s.PrincipalsOut is { Count: > 0 } outs)
        {
            text.AppendLine("## Principals taken out").AppendLine();
            foreach (var o in outs)
            {
                text.AppendLine(c, $"- {o.Principal}: {o.Reason}");
            }

            text.AppendLine();
        }

        if (failed.Count > 0)
        {
            text.AppendLine("## Biggest causes of failed rows").AppendLine();
            text.AppendLine("| Rows | Stage | Code | Message |").AppendLine("|---|---|---|---|");
            foreach (var g in failed.GroupBy(f => (f.Stage, f.ErrorCode, f.ErrorMessage)).OrderByDescending(g => g.Count()).Take(10))
            {
                text.AppendLine(c, $"| {g.Count():N0} | {g.Key.Stage.ToString().ToLowerInvariant()} | {g.Key.ErrorCode} | " +
                    $"{g.Key.ErrorMessage.Replace("|", "\\|", StringComparison.Ordinal)} |");
            }
        }

        return text.ToString();
    }
}
