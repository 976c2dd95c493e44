using System.Diagnostics;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Telemetry;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Lake;

public sealed class LakeTelemetryTests
{
    [Fact]
    public async Task Reading_a_file_is_traced_with_rows_read_and_deleted()
    {
        using var copy = TempTable.Copy("table-with-dv-small");
        var storage = new LocalLakeStorage(copy.Path);
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SyncTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (activities)
                {
                    activities.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await TestTables.ReadAllAsync(storage, await LakeTableOpener.OpenAsync(storage, TableRequest.Latest));

        List<Activity> ours;
        lock (activities)
        {
            ours = activities.Where(a => (a.GetTagItem("empower.lake.file") as string ?? a.GetTagItem("empower.lake.location") as string
                ?? "").StartsWith(copy.Path, StringComparison.Ordinal)).ToList();
        }

        var open = Assert.Single(ours, a => a.OperationName == "lake.open_table");
        var read = Assert.Single(ours, a => a.OperationName == "lake.read_file");
        Assert.Equal(1L, open.GetTagItem("empower.lake.version"));
        Assert.Equal(8L, read.GetTagItem("empower.lake.rows"));
        Assert.Equal(2L, read.GetTagItem("empower.lake.rows_deleted"));
    }
}
