using System.Diagnostics;
using System.Diagnostics.Metrics;
using Empower.Sync.Jobs;

namespace Empower.Sync.Telemetry;

/// <summary>
/// A run's stage spans (<c>sync.plan</c>, <c>sync.publish</c> per partition try, <c>sync.finalize</c>) and its metrics,
/// recorded once per run by Finalize so that retried activities do not count twice. Tags name the job, the run and the
/// target table; never a row's values.
/// </summary>
public static class RunTelemetry
{
    public const string JobTag = "empower.job";

    public const string RunTag = "empower.run";

    public const string TableTag = "empower.table";

    public const string PartitionTag = "empower.partition";

    public static readonly Counter<long> Rows = SyncTelemetry.Meter.CreateCounter<long>("empower.sync.rows", "{row}", "Rows of finished runs, by job, table and outcome (written, unchanged, failed, superseded, deleted).");

    public static readonly Counter<long> Runs = SyncTelemetry.Meter.CreateCounter<long>("empower.sync.runs", "{run}", "Finished runs, by job and status (succeeded, rows_failed).");

    public static readonly Histogram<double> Duration = SyncTelemetry.Meter.CreateHistogram<double>("empower.sync.run.duration", "s", "From Plan's start to the end of Finalize, by job.");

    public static readonly Counter<long> Deferrals = SyncTelemetry.Meter.CreateCounter<long>("empower.sync.deferrals", "{deferral}", "Durable-timer waits of partitions whose rows every principal refused (layer 2), by job.");

    public static Activity? StartStage(string stage, JobDefinition job, string runId, int? partition = null)
    {
        var activity = SyncTelemetry.ActivitySource.StartActivity($"sync.{stage}");
        if (activity is not null)
        {
            activity.SetTag(JobTag, job.Name).SetTag(RunTag, runId).SetTag(TableTag, job.Target.Table);
            if (partition is not null)
            {
                activity.SetTag(PartitionTag, partition.Value);
            }
        }

        return activity;
    }
}
