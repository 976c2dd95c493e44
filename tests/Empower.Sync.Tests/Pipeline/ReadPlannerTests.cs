using Empower.Sync.Jobs;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Pipeline.Reading;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Pipeline;

/// <summary>When a run reads only the changes since the watermark, and when it reads the whole table — and why.</summary>
public sealed class ReadPlannerTests
{
    private static JobDefinition Job(string path, string extra = "") => JobDefinitionLoader.Parse($$"""
        { "name": "t", "source": { "path": {{System.Text.Json.JsonSerializer.Serialize(path)}} {{extra}} }, "target": { "table": "contact" },
          "match": { "key": ["emailaddress1"] }, "columns": [ { "source": "id", "attribute": "emailaddress1" } ] }
        """, "t.json");

    private static async Task<ReadPlan> PlanAsync(string table, Watermark? watermark, bool full = false, string extra = "")
    {
        string path = TestTables.DeltaPath(table);
        var storage = new LocalLakeStorage(path);
        var job = Job(path, extra);
        var snapshot = await LakeTableOpener.OpenAsync(storage, new TableRequest(job.Source.Version));
        return await ReadPlanner.PlanAsync(job, snapshot, storage, watermark, full, CancellationToken.None);
    }

    private static Watermark At(long version, long retry = 0) => new(version, "previous", DateTimeOffset.UnixEpoch, retry);

    [Fact]
    public async Task Change_Data_Feed_commits_since_the_watermark_are_read_as_changes()
    {
        var plan = await PlanAsync("cdf-table", At(0));

        Assert.Equal((ReadMode.Changes, 0L), (plan.Mode, plan.FromVersion));
        Assert.Equal("changes of versions 1–3: 3 with Change Data Feed, 0 appending files", plan.Reason);
    }

    [Fact]
    public async Task Nothing_new_reads_no_rows()
    {
        var plan = await PlanAsync("cdf-table", At(3));

        Assert.Equal(ReadMode.Changes, plan.Mode);
        Assert.Equal("no commit since version 3", plan.Reason);
    }

    [Theory]
    [InlineData("simple_table", 0, 0, false, "", "version 1 (MERGE) rewrote files and wrote no Change Data Feed")]
    [InlineData("cdf-table", null, 0, false, "", "first run of the job")]
    [InlineData("cdf-table", 1, 0, true, "", "a full read was asked for (--full)")]
    [InlineData("cdf-table", 1, 7, false, "", "the last run (previous) left 7 rows that Dataverse refused or that stayed throttled")]
    [InlineData("cdf-table", 9, 0, false, "", "the watermark (version 9) is newer than the table (version 3)")]
    [InlineData("cdf-table", 1, 0, false, ", \"version\": 2", "the job pins source.version 2")]
    public async Task Otherwise_the_whole_table_is_read_and_the_reason_says_why(string table, int? watermark, long retry, bool full, string extra, string reason)
    {
        var plan = await PlanAsync(table, watermark is { } v ? At(v, retry) : null, full, extra);

        Assert.Equal(ReadMode.Full, plan.Mode);
        Assert.StartsWith(reason, plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_newest_watermark_is_the_highest_version_then_the_latest_run()
    {
        using var folder = TempTable.Empty();
        var state = new LocalLakeStorage(folder.Path);
        await new Watermark(3, "a", DateTimeOffset.UnixEpoch.AddDays(2), 0).SaveAsync(state, CancellationToken.None);
        await new Watermark(5, "b", DateTimeOffset.UnixEpoch.AddDays(1), 0).SaveAsync(state, CancellationToken.None);
        await new Watermark(5, "c", DateTimeOffset.UnixEpoch.AddDays(3), 2).SaveAsync(state, CancellationToken.None);

        var latest = await Watermark.LatestAsync(state, CancellationToken.None);

        Assert.Equal((5L, "c", 2L), (latest!.Version, latest.RunId, latest.RowsToRetry));
        Assert.Null(await Watermark.LatestAsync(new LocalLakeStorage(Path.Combine(folder.Path, "none")), CancellationToken.None));
    }
}
