using Empower.Sync.Jobs;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Planning;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Pipeline.Planning;

/// <summary>When a run reads only the changes since the watermark, and when it reads the whole table — and why.</summary>
public sealed class ReadPlannerTests
{
    private static readonly Uri Org = new("https://contoso.crm.dynamics.com/api/data/v9.2/");

    private static JobDefinition Job(string path, string extra = "", string table = "contact", string columns = "") => JobDefinitionLoader.Parse($$"""
        { "name": "t", "source": { "path": {{System.Text.Json.JsonSerializer.Serialize(path)}} {{extra}} }, "target": { "table": "{{table}}" },
          "match": { "key": ["emailaddress1"] }, "columns": [ { "source": "id", "attribute": "emailaddress1" } {{columns}} ] }
        """, "t.json");

    private static async Task<ReadPlan> PlanAsync(string table, Watermark? watermark, bool full = false, string extra = "",
        JobDefinition? job = null, Uri? org = null)
    {
        string path = TestTables.DeltaPath(table);
        var storage = new LocalLakeStorage(path);
        job ??= Job(path, extra);
        var snapshot = await LakeTableOpener.OpenAsync(storage, new TableRequest(job.Source.Version));
        return (await ReadPlanner.PlanAsync(job, snapshot, storage, watermark, PublishTarget.Of(job, org ?? Org), full, CancellationToken.None)).Read;
    }

    private static Watermark At(long version, long retry = 0) =>
        new(version, "previous", DateTimeOffset.UnixEpoch, retry, PublishTarget.Of(Job(TestTables.DeltaPath("cdf-table")), Org));

    [Fact]
    public async Task Change_Data_Feed_commits_since_the_watermark_are_read_as_changes()
    {
        var plan = await PlanAsync("cdf-table", At(0));

        Assert.Equal((ReadMode.Changes, 0L), (plan.Mode, plan.FromVersion));
        Assert.Equal("changes of versions 1–3: 3 with Change Data Feed, 0 appending files", plan.Reason);
    }

    [Fact]
    public async Task A_read_of_changes_hands_over_the_commits_it_read_and_a_full_read_none()
    {
        var storage = new LocalLakeStorage(TestTables.DeltaPath("cdf-table"));
        var job = Job(TestTables.DeltaPath("cdf-table"));
        var snapshot = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);

        var (_, changes) = await ReadPlanner.PlanAsync(job, snapshot, storage, At(0), PublishTarget.Of(job, Org), full: false, CancellationToken.None);
        var (_, none) = await ReadPlanner.PlanAsync(job, snapshot, storage, At(0), PublishTarget.Of(job, Org), full: true, CancellationToken.None);

        Assert.Equal([1L, 2L, 3L], changes!.Select(c => c.Version));
        Assert.Null(none);
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
    public async Task Otherwise_the_whole_table_is_read_and_the_reason_says_why(string table, int? watermark, long retry, bool full,
        string extra, string reason)
    {
        var plan = await PlanAsync(table, watermark is { } v ? At(v, retry) : null, full, extra);

        Assert.Equal(ReadMode.Full, plan.Mode);
        Assert.StartsWith(reason, plan.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://fabrikam.crm4.dynamics.com/api/data/v9.2/", "contact",
        "table contact in https://fabrikam.crm4.dynamics.com; its last run (previous) published to table contact in https://contoso.crm.dynamics.com")]
    [InlineData("https://contoso.crm.dynamics.com/api/data/v9.2/", "lead",
        "table lead in https://contoso.crm.dynamics.com; its last run (previous) published to table contact in https://contoso.crm.dynamics.com")]
    public async Task A_new_environment_or_table_reads_everything_and_sends_every_row(string org, string targetTable, string where)
    {
        var job = Job(TestTables.DeltaPath("cdf-table"), table: targetTable);

        var plan = await PlanAsync("cdf-table", At(3), job: job, org: new Uri(org));

        Assert.Equal((ReadMode.Full, true), (plan.Mode, plan.NewTarget));
        Assert.Equal($"the job now publishes to {where}, so every row is sent, none skipped as unchanged", plan.Reason);
    }

    [Fact]
    public async Task The_org_url_is_compared_by_scheme_and_host_whatever_its_case_or_path()
    {
        var plan = await PlanAsync("cdf-table", At(3), org: new Uri("https://CONTOSO.crm.dynamics.com/"));

        Assert.Equal((ReadMode.Changes, false), (plan.Mode, plan.NewTarget));
    }

    [Fact]
    public async Task A_changed_mapping_reads_everything_and_change_detection_still_applies()
    {
        var job = Job(TestTables.DeltaPath("cdf-table"), columns: """, { "source": "name", "attribute": "firstname" }""");

        var plan = await PlanAsync("cdf-table", At(3), job: job);

        Assert.Equal((ReadMode.Full, false), (plan.Mode, plan.NewTarget));
        Assert.StartsWith("the job's mode, match, columns or null handling changed since the last run (previous)", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_watermark_from_before_targets_were_recorded_still_reads_changes()
    {
        var plan = await PlanAsync("cdf-table", At(1) with { Target = null });

        Assert.Equal((ReadMode.Changes, 1L, false), (plan.Mode, plan.FromVersion, plan.NewTarget));
    }

    [Fact]
    public async Task A_watermark_saves_and_loads_its_target()
    {
        using var folder = TempTable.Empty();
        var state = new LocalLakeStorage(folder.Path);
        await At(2).SaveAsync(state, CancellationToken.None);

        Assert.Equal(At(2), await Watermark.LatestAsync(state, CancellationToken.None));
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
