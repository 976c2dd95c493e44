using Empower.Sync.Telemetry;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;

namespace Empower.Sync.Pipeline.Reporting;

/// <summary>
/// A run's stage spans (<c>sync.plan</c>, <c>sync.publish</c> per partition try, <c>sync.finalize</c>) and its metrics:
/// the run totals recorded once per run by Finalize, so that retried activities do not count twice, and the live
/// <c>empower.sync.progress.rows</c> recorded by Publish as each window ends (what progress displays use; an activity
/// the host runs again counts again). Tags name the job and the target table; never a row's values.
/// </summary>
public static class RunTelemetry
{
    public static readonly Counter<long> Rows = SyncTelemetry.Meter.CreateCounter<long>("empower.sync.rows", "{row}",
        "Rows of finished runs, by job, table and outcome (written, unchanged, failed, superseded, deleted).");

    public const string ProgressRowsName = "empower.sync.progress.rows";

    public static readonly Counter<long> ProgressRows = SyncTelemetry.Meter.CreateCounter<long>(ProgressRowsName, "{row}",
        "Rows as publish tries handle them, by job, table and outcome (written, unchanged, failed, superseded, deleted, deletes_ignored, not_sent).");

    public static readonly Counter<long> Runs = SyncTelemetry.Meter.CreateCounter<long>("empower.sync.runs", "{run}",
        "Finished runs, by job and status (succeeded, rows_failed, cancelled, failed).");

    public static readonly Histogram<double> Duration = SyncTelemetry.Meter.CreateHistogram<double>("empower.sync.run.duration", "s",
        "From Plan's start to the end of Finalize, by job.");

    public static readonly Counter<long> Deferrals = SyncTelemetry.Meter.CreateCounter<long>("empower.sync.deferrals", "{deferral}",
        "Durable-timer waits of partitions whose rows every principal refused (layer 2), by job.");

    /// <summary>Adds <paramref name="rows"/>' outcomes (not <c>Read</c>) to <see cref="ProgressRows"/>.</summary>
    public static void Progress(JobDefinition job, RowCounts rows) => Add(ProgressRows, job, rows, zeros: false);

    /// <summary>Adds a finished run's <paramref name="rows"/>' outcomes to <see cref="Rows"/>.</summary>
    public static void Finished(JobDefinition job, RowCounts rows) => Add(Rows, job, rows, zeros: true);

    private static void Add(Counter<long> counter, JobDefinition job, RowCounts r, bool zeros)
    {
        foreach (var (outcome, rows) in new[]
        {
            ("written", r.Written), ("unchanged", r.Unchanged), ("failed", r.Failed), ("superseded", r.Superseded), ("deleted", r.Deleted),
            ("deletes_ignored", r.DeletesIgnored), ("not_sent", r.NotSent),
        })
        {
            if (zeros || rows != 0)
            {
                counter.Add(rows, new(TelemetryTags.Job, job.Name), new(TelemetryTags.Table, job.Target.Table), new(TelemetryTags.Outcome, outcome));
            }
        }
    }

    public static Activity? StartStage(string stage, JobDefinition job, string runId, int? partition = null)
    {
        var activity = SyncTelemetry.ActivitySource.StartActivity($"sync.{stage}");
        if (activity is not null)
        {
            activity.SetTag(TelemetryTags.Job, job.Name).SetTag(TelemetryTags.Run, runId).SetTag(TelemetryTags.Table, job.Target.Table);
            if (partition is not null)
            {
                activity.SetTag(TelemetryTags.Partition, partition.Value);
            }
        }

        return activity;
    }
}
