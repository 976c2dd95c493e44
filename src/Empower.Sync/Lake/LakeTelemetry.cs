using System.Diagnostics;
using System.Diagnostics.Metrics;
using Empower.Sync.Telemetry;

namespace Empower.Sync.Lake;

/// <summary>Traces (<c>lake.open_table</c>, <c>lake.read_file</c>) and counters of the lake reader.</summary>
internal static class LakeTelemetry
{
    public static readonly Counter<long> RowsRead = SyncTelemetry.Meter.CreateCounter<long>("empower.lake.rows_read", "{row}",
        "Rows read from the lake, after deletion vectors.");

    public static readonly Counter<long> RowsDeleted = SyncTelemetry.Meter.CreateCounter<long>("empower.lake.rows_deleted", "{row}",
        "Rows skipped because a deletion vector deletes them.");

    public static readonly Counter<long> FilesRead = SyncTelemetry.Meter.CreateCounter<long>("empower.lake.files_read", "{file}", "Data files opened.");

    public static readonly Counter<long> RowGroupsRead = SyncTelemetry.Meter.CreateCounter<long>("empower.lake.row_groups_read", "{row_group}",
        "Parquet row groups read.");

    public static Activity? StartOpenTable(string location) =>
        SyncTelemetry.ActivitySource.StartActivity("lake.open_table")?.SetTag("empower.lake.location", location);

    public static Activity? StartReadFile(string location) =>
        SyncTelemetry.ActivitySource.StartActivity("lake.read_file")?.SetTag("empower.lake.file", location);
}
