using System.Diagnostics;
using System.Diagnostics.Metrics;
using Empower.Sync.Telemetry;

namespace Empower.Sync.Ingestion;

/// <summary>
/// An ingest run's span (<c>ingest.run</c>, one per step) and metrics: <c>empower.ingest.progress.records</c> as each
/// page arrives (live progress; a step the host runs again counts again), and once per finished run
/// <c>empower.ingest.records</c> by outcome and <c>empower.ingest.runs</c> by mode. Tags name the job and the
/// Dataverse table; never a record's values.
/// </summary>
public static class IngestTelemetry
{
    public const string ProgressRecordsName = "empower.ingest.progress.records";

    public static readonly Counter<long> ProgressRecords = SyncTelemetry.Meter.CreateCounter<long>(
        ProgressRecordsName, "{record}", "Records (and deletes) read from Dataverse as each change-tracking page arrives, by job and table.");

    public static readonly Counter<long> Records = SyncTelemetry.Meter.CreateCounter<long>(
        "empower.ingest.records", "{record}", "Records of finished ingest runs, by job, table and outcome (created, updated, deleted, " +
            "deletes_not_found, filtered_out).");

    public static readonly Counter<long> Runs = SyncTelemetry.Meter.CreateCounter<long>(
        "empower.ingest.runs", "{run}", "Finished ingest runs, by job and mode (snapshot, changes).");

    public static void Page(IngestJob job, long records) =>
        ProgressRecords.Add(records, new(TelemetryTags.Job, job.Name), new(TelemetryTags.Table, job.From.Table));

    public static void Finished(IngestJob job, IngestResult result)
    {
        foreach (var (outcome, records) in new[]
        {
            ("created", result.Created), ("updated", result.Updated), ("deleted", result.Deleted),
            ("deletes_not_found", result.DeletesNotFound), ("filtered_out", result.FilteredOut),
        })
        {
            Records.Add(records, new(TelemetryTags.Job, job.Name), new(TelemetryTags.Table, job.From.Table), new(TelemetryTags.Outcome, outcome));
        }

        Runs.Add(1, new(TelemetryTags.Job, job.Name), new("empower.mode", result.Mode));
    }

    public static Activity? StartStep(IngestJob job, string runId) =>
        SyncTelemetry.ActivitySource.StartActivity("ingest.run")?
            .SetTag(TelemetryTags.Job, job.Name).SetTag(TelemetryTags.Run, runId).SetTag(TelemetryTags.Table, job.From.Table);
}
