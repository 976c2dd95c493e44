using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Lake.Writing;
using Empower.Testing.Emulator;
using Empower.Testing.Jobs;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Pipeline;

/// <summary>Change detection and incremental reads, end to end: what reaches the emulator when little or nothing changed.</summary>
[Trait("Category", "Pipeline")]
public sealed class ChangeDetectionRunTests
{
    private static readonly LakeSchema People =
        PeopleTable.With(PeopleTable.Column("first_name", LakeTypeKind.String), PeopleTable.Column("children", LakeTypeKind.Long));

    private static object?[] Person(int i, string lastName) => [$"p{i}@example.com", lastName, $"F{i}", (long)(i % 5)];

    private static List<object?[]> People_(int from, int count) => [.. Enumerable.Range(from, count).Select(i => Person(i, $"L{i}"))];

    private static JobDefinition Job(string source, string name = "people", string changeDetection = "lake-state") => new PeopleJob(source, name)
        .With("mode", "upsert").With("changeDetection", changeDetection)
        .Column("first_name", "firstname").Column("children", "numberofchildren")
        .Definition;

    /// <summary>A new version that rewrites the <paramref name="file"/>-th file (oldest first) with the rows given: what Spark's UPDATE does without
    /// Change Data Feed.</summary>
    private static async Task RewriteAsync(string table, int file, List<object?[]> rows)
    {
        var storage = new LocalLakeStorage(table);
        var old = (await LakeTableOpener.OpenAsync(storage, TableRequest.Latest)).Files[file];
        var writer = new DeltaAppendWriter(storage, People, TimeProvider.System);
        var added = await writer.WriteFileAsync($"part-{Guid.NewGuid():N}.snappy.parquet", rows);
        await writer.CommitAsync([added], [old.Path], "UPDATE");
    }

    private static async Task<JsonObject> StatsAsync(EmulatorServer server)
    {
        using var emulator = await EmulatorClient.ConnectAsync(server);
        return await emulator.StatsAsync();
    }

    private static long Contacts(JsonObject stats, string counter) => (long)stats["tables"]!["contact"]![counter]!;

    private static long Requests(JsonObject stats) => (long)stats["totals"]!["requests"]!;

    [Fact]
    public async Task A_200k_row_table_resynced_unchanged_sends_nothing_and_then_only_the_changed_rows()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        var writer = new DeltaAppendWriter(new LocalLakeStorage(lake.Path), People, TimeProvider.System);
        for (int part = 0; part < 4; part++)
        {
            await writer.AppendAsync(People_(part * 50_000, 50_000), "WRITE");
        }

        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await PipelineHost.StartAsync(server, state.Path, extra: ("Empower:Pipeline:PartitionMaxRows", "50000"));

        var first = await PipelineHost.RunAsync(host, Job(lake.Path), "r1");
        var afterFirst = await StatsAsync(server);
        var unchanged = await PipelineHost.RunAsync(host, Job(lake.Path), "r2", full: true);
        var afterUnchanged = await StatsAsync(server);

        // 1% of the rows change: an UPDATE rewrites the second file with 2,000 new last names.
        await RewriteAsync(lake.Path, 1, [.. Enumerable.Range(50_000, 50_000).Select(i => Person(i, i % 25 == 0 ? $"Changed {i}" : $"L{i}"))]);
        var changed = await PipelineHost.RunAsync(host, Job(lake.Path), "r3");
        var afterChanged = await StatsAsync(server);

        // Spark appends 500 new people: only the added file is read.
        await writer.AppendAsync(People_(200_000, 500), "WRITE");
        var appended = await PipelineHost.RunAsync(host, Job(lake.Path), "r4");
        var afterAppended = await StatsAsync(server);

        Assert.Equal((200_000L, 200_000L, 0L), (first.Read, first.Written, first.Unchanged));
        Assert.Equal(200_000, Contacts(afterFirst, "records"));

        Assert.Equal((200_000L, 0L, 200_000L, 0L), (unchanged.Read, unchanged.Written, unchanged.Unchanged, unchanged.Failed));
        Assert.Equal(Requests(afterFirst), Requests(afterUnchanged));

        Assert.Equal("full", changed.ReadMode);
        Assert.Contains("rewrote files and wrote no Change Data Feed", changed.ReadReason, StringComparison.Ordinal);
        Assert.Equal((200_000L, 2_000L, 198_000L), (changed.Read, changed.Written, changed.Unchanged));
        Assert.Equal(2_000, Contacts(afterChanged, "updated") - Contacts(afterUnchanged, "updated"));
        Assert.Equal(Contacts(afterUnchanged, "created"), Contacts(afterChanged, "created"));

        Assert.Equal("changes", appended.ReadMode);
        Assert.Equal((500L, 500L, 0L), (appended.Read, appended.Written, appended.Unchanged));
        Assert.Equal(500, Contacts(afterAppended, "created") - Contacts(afterChanged, "created"));
        Assert.Equal(0, Contacts(afterAppended, "updated") - Contacts(afterChanged, "updated"));
        foreach (var run in new[] { first, unchanged, changed, appended })
        {
            Assert.Equal(run.Rows.Read, run.Rows.Accounted);
        }
    }

    [Fact]
    public async Task Target_compare_sends_only_changed_columns_and_restores_edits_that_lake_state_leaves_alone()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        var writer = new DeltaAppendWriter(new LocalLakeStorage(lake.Path), People, TimeProvider.System);
        await writer.AppendAsync(People_(0, 10_000), "WRITE");
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await PipelineHost.StartAsync(server, state.Path, extra: ("Empower:Pipeline:PartitionMaxRows", "5000"));
        using var emulator = await EmulatorClient.ConnectAsync(server);
        async Task<string?> FirstNameAsync(int i) =>
            (string?)JsonNode.Parse(await (await emulator.GetAsync(
                $"contacts(emailaddress1='p{i}@example.com')?$select=firstname")).Content.ReadAsStringAsync())!["firstname"];

        await PipelineHost.RunAsync(host, Job(lake.Path), "r1");
        await emulator.PatchAsync("contacts(emailaddress1='p7@example.com')", """{ "firstname": "Edited in Dataverse" }""");
        await RewriteAsync(lake.Path, 0, [.. Enumerable.Range(0, 10_000).Select(i => Person(i, i % 100 == 1 ? $"Changed {i}" : $"L{i}"))]);
        var lakeState = await PipelineHost.RunAsync(host, Job(lake.Path), "r2");
        string? afterLakeState = await FirstNameAsync(7);
        await RewriteAsync(lake.Path, 0, [.. Enumerable.Range(0, 10_000).Select(i => Person(i, i % 100 is 1 or 2 ? $"Changed {i}" : $"L{i}"))]);
        var before = await StatsAsync(server);
        var compared = await PipelineHost.RunAsync(host, Job(lake.Path, "people-compared", "target-compare"), "r3");
        var after = await StatsAsync(server);

        // lake-state: the 100 changed rows are sent; the edit in Dataverse is not seen and stays.
        Assert.Equal((100L, 9_900L), (lakeState.Written, lakeState.Unchanged));
        Assert.Equal("Edited in Dataverse", afterLakeState);

        // target-compare: 100 more changed last names and the edited first name, each sent alone.
        Assert.Equal((10_000L, 101L, 9_899L), (compared.Read, compared.Written, compared.Unchanged));
        Assert.Equal("F7", await FirstNameAsync(7));
        var updated = after["tables"]!["contact"]!["updatedAttributes"]!.AsObject();
        var beforeUpdated = before["tables"]!["contact"]!["updatedAttributes"]!.AsObject();
        long Delta(string attribute) => ((long?)updated[attribute] ?? 0) - ((long?)beforeUpdated[attribute] ?? 0);
        Assert.Equal(100, Delta("lastname"));
        Assert.Equal(1, Delta("firstname"));
        Assert.Equal(0, Delta("numberofchildren"));
        Assert.Equal(101, Contacts(after, "updated") - Contacts(before, "updated"));
    }

    [Fact]
    public async Task An_interrupted_run_records_no_watermark_and_the_next_run_sends_only_what_it_did_not_confirm()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        var writer = new DeltaAppendWriter(new LocalLakeStorage(lake.Path), People, TimeProvider.System);
        for (int part = 0; part < 10; part++)
        {
            await writer.AppendAsync(People_(part * 1_000, 1_000), "WRITE");
        }

        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Cost:RequestOverheadMs", "150")));
        await using var host = await PipelineHost.StartAsync(server, state.Path,
            extra: [("Empower:Pipeline:PartitionMaxRows", "1000"), ("Empower:Pipeline:Parallelism", "2"), ("Empower:Dataverse:BatchSize", "50")]);
        var job = Job(lake.Path);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Sync.Pipeline.Running.SyncRunOrchestrator),
            new Sync.Pipeline.Contracts.SyncRunInput(job, "interrupted"));
        Microsoft.DurableTask.Client.OrchestrationMetadata? running;
        do
        {
            await Task.Delay(50);
            running = await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        }
        while (running?.ReadCustomStatusAs<Sync.Pipeline.Contracts.RunProgress>() is not { PartitionsDone: >= 2 } && running?.IsCompleted != true);

        Assert.False(running!.IsCompleted, "the run should still be running when it is interrupted");

        await host.Client.TerminateInstanceAsync(id, new Microsoft.DurableTask.Client.TerminateInstanceOptions("test", Recursive: true));
        await host.Client.WaitForInstanceCompletionAsync(id);
        await Task.Delay(1_000);
        long writtenWhenInterrupted = Contacts(await StatsAsync(server), "records");
        bool watermarkAfterInterrupt = Directory.Exists(Path.Combine(state.Path, "people", "watermarks"));
        bool stateAfterInterrupt = Directory.Exists(Path.Combine(state.Path, "people", "published_state", "_delta_log"));

        var rerun = await PipelineHost.RunAsync(host, job, "rerun");
        var afterRerun = await StatsAsync(server);
        var again = await PipelineHost.RunAsync(host, job, "again", full: true);

        Assert.InRange(writtenWhenInterrupted, 1_000, 9_999);
        Assert.False(watermarkAfterInterrupt, "no watermark may be written before every partition finished");
        Assert.False(stateAfterInterrupt, "an interrupted run must not record anything as published");
        // The rerun adopts what the interrupted run staged: rows it confirmed are unchanged, not sent again.
        Assert.Equal(10_000L, rerun.Read);
        Assert.Equal(10_000L, rerun.Written + rerun.Unchanged);
        Assert.InRange(rerun.Unchanged, 2_000, writtenWhenInterrupted);
        Assert.Equal((10_000L, 10_000L), (Contacts(afterRerun, "records"), Contacts(afterRerun, "created")));
        // Sent twice: at most the rows of the partitions in flight when it was interrupted (2 at a time, 1,000 rows each).
        Assert.InRange(Contacts(afterRerun, "updated"), 0, 2_000);
        Assert.Equal(0, (long)afterRerun["totals"]!["duplicateKeyRejections"]!);
        Assert.Equal((0L, 10_000L), (again.Written, again.Unchanged));
        Assert.Equal(Requests(afterRerun), Requests(await StatsAsync(server)));
    }

    [Fact]
    public async Task Target_compare_finds_nothing_changed_in_lookups_dates_money_and_choices_it_wrote_itself()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        var schema = PeopleTable.With(PeopleTable.Column("born", LakeTypeKind.Timestamp), PeopleTable.Column("credit", LakeTypeKind.Long),
            PeopleTable.Column("gender", LakeTypeKind.String), PeopleTable.Column("company", LakeTypeKind.String));
        var born = new DateTimeOffset(1990, 5, 17, 22, 30, 0, TimeSpan.Zero);
        await new DeltaAppendWriter(new LocalLakeStorage(lake.Path), schema, TimeProvider.System).AppendAsync(
            [.. Enumerable.Range(0, 300).Select(i => new object?[] { $"p{i}@example.com", $"L{i}", born.AddDays(i), (long)(i * 1000), i % 2 == 0 ? "Male"
                : "Female", i % 7 == 0 ? null : $"A-{i % 5}" })],
            "WRITE");
        var job = new PeopleJob(lake.Path, "typed").With("changeDetection", "target-compare").With("nulls", "clear")
            .Column("born", "birthdate").Column("credit", "creditlimit").Column("gender", "gendercode")
            .CompanyLookup()
            .Definition;
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        using var emulator = await EmulatorClient.ConnectAsync(server);
        // Dataverse holds the account numbers in lower case: lookups by key find them ignoring case, and so must the comparison.
        for (int a = 0; a < 5; a++)
        {
            await emulator.PatchAsync($"accounts(accountnumber='a-{a}')", $$"""{ "name": "Account {{a}}" }""");
        }

        await using var host = await PipelineHost.StartAsync(server, state.Path);
        var first = await PipelineHost.RunAsync(host, job, "r1");
        var before = await StatsAsync(server);
        var again = await PipelineHost.RunAsync(host, job, "r2", full: true);
        var after = await StatsAsync(server);

        Assert.Equal((300L, 300L, 0L), (first.Read, first.Written, first.Failed));
        Assert.Equal((300L, 0L, 300L, 0L), (again.Read, again.Written, again.Unchanged, again.Failed));
        Assert.Equal("target-compare", again.ChangeDetection);
        Assert.Equal(Contacts(before, "updated"), Contacts(after, "updated"));
    }

    [Fact]
    public async Task A_job_pointed_at_another_environment_sends_every_row_there_and_its_state_then_describes_that_environment()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        await new DeltaAppendWriter(new LocalLakeStorage(lake.Path), People, TimeProvider.System).AppendAsync(People_(0, 1_000), "WRITE");
        await using var test = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var production = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var onTest = await PipelineHost.StartAsync(test, state.Path);
        await using var onProduction = await PipelineHost.StartAsync(production, state.Path);
        var withoutChildren = Job(lake.Path) with { Columns = [.. Job(lake.Path).Columns.Where(c => c.Attribute != "numberofchildren")] };

        var first = await PipelineHost.RunAsync(onTest, Job(lake.Path), "r1");
        var moved = await PipelineHost.RunAsync(onProduction, Job(lake.Path), "r2");
        var again = await PipelineHost.RunAsync(onProduction, Job(lake.Path), "r3", full: true);
        var remapped = await PipelineHost.RunAsync(onProduction, withoutChildren, "r4");
        var back = await PipelineHost.RunAsync(onTest, withoutChildren, "r5");

        Assert.Equal((1_000L, 1_000L), (first.Read, first.Written));
        Assert.Equal("lake-state", first.ChangeDetection);
        Assert.Equal(("full", 1_000L, 1_000L, 0L), (moved.ReadMode, moved.Read, moved.Written, moved.Unchanged));
        Assert.Contains($"now publishes to table contact in {production.BaseAddress.GetLeftPart(UriPartial.Authority)}", moved.ReadReason,
            StringComparison.Ordinal);
        Assert.Contains($"published to table contact in {test.BaseAddress.GetLeftPart(UriPartial.Authority)}", moved.ReadReason, StringComparison.Ordinal);
        Assert.Equal(1_000, Contacts(await StatsAsync(production), "records"));

        // The state now holds what production accepted, and only that.
        Assert.Equal((1_000L, 0L, 1_000L), (again.Read, again.Written, again.Unchanged));

        // Another mapping reads everything; every payload differs (no numberofchildren), so every row goes again.
        Assert.Equal("full", remapped.ReadMode);
        Assert.StartsWith("the job's mode, match, columns or null handling changed", remapped.ReadReason, StringComparison.Ordinal);
        Assert.Equal((1_000L, 1_000L, 0L), (remapped.Read, remapped.Written, remapped.Unchanged));

        // Back to test: what production holds says nothing about test, so test gets every row too.
        Assert.Contains("now publishes to table contact in " + test.BaseAddress.GetLeftPart(UriPartial.Authority), back.ReadReason, StringComparison.Ordinal);
        Assert.Equal((1_000L, 1_000L, 0L), (back.Read, back.Written, back.Unchanged));
        Assert.Equal(1_000, Contacts(await StatsAsync(test), "updated"));
        foreach (var run in new[] { first, moved, again, remapped, back })
        {
            Assert.Equal(run.Rows.Read, run.Rows.Accounted);
        }
    }
}
