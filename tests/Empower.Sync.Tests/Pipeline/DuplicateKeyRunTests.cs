using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Writing;
using Empower.Testing.Emulator;
using Empower.Testing.Jobs;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Pipeline;

/// <summary>Rows with the same key in different partitions of one run: resolved the same way whatever the timing.</summary>
[Trait("Category", "Pipeline")]
public sealed class DuplicateKeyRunTests
{
    /// <summary>Two commits of 500 rows; keys 250–499 are in both, the second commit with "v2" names.</summary>
    private static async Task WriteAsync(string folder)
    {
        var writer = new DeltaAppendWriter(new LocalLakeStorage(folder), PeopleTable.Schema, TimeProvider.System);
        await writer.AppendAsync(Enumerable.Range(0, 500).Select(i => new object?[] { $"p{i}@example.com", $"v1 {i}" }).ToList(), "WRITE");
        await writer.AppendAsync(Enumerable.Range(250, 500).Select(i => new object?[] { $"p{i}@example.com", $"v2 {i}" }).ToList(), "WRITE");
    }

    private static JobDefinition Job(string source, string duplicates) =>
        new PeopleJob(source).With("mode", "upsert").With("duplicates", duplicates).Definition;

    [Fact]
    public async Task The_last_row_of_a_key_wins_even_when_an_earlier_partition_holds_it_too()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        await WriteAsync(lake.Path);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await PipelineHost.StartAsync(server, state.Path, extra: ("Empower:Pipeline:PartitionMaxRows", "200"));

        var summary = await PipelineHost.RunAsync(host, Job(lake.Path, "lastWins"), "r1");

        Assert.Equal((1000L, 750L, 0L, 250L), (summary.Read, summary.Written, summary.Failed, summary.Superseded));
        Assert.True(summary.Partitions >= 2);
        using var emulator = await EmulatorClient.ConnectAsync(server);
        var stats = await emulator.StatsAsync();
        Assert.Equal(750, (int)stats["tables"]!["contact"]!["records"]!);
        Assert.Equal(750, (int)stats["tables"]!["contact"]!["created"]!);
        Assert.Equal(0, (int)stats["tables"]!["contact"]!["updated"]!);
        foreach (int i in new[] { 0, 249, 250, 400, 499, 500, 749 })
        {
            var body = JsonNode.Parse(await (await emulator.GetAsync(
                $"contacts(emailaddress1='p{i}@example.com')?$select=lastname")).Content.ReadAsStringAsync())!;
            Assert.Equal(i < 250 ? $"v1 {i}" : $"v2 {i}", (string?)body["lastname"]);
        }
    }

    [Fact]
    public async Task With_duplicates_fail_every_row_of_a_repeated_key_fails_in_every_partition()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        await WriteAsync(lake.Path);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await PipelineHost.StartAsync(server, state.Path, extra: ("Empower:Pipeline:PartitionMaxRows", "200"));

        var summary = await PipelineHost.RunAsync(host, Job(lake.Path, "fail"), "r1");

        Assert.Equal((1000L, 500L, 500L, 0L), (summary.Read, summary.Written, summary.Failed, summary.Superseded));
        var failed = await new FailedRowsTable(new LocalLakeStorage(Path.Combine(state.Path, "people", "failed_rows")), TimeProvider.System).ReadAsync("r1");
        Assert.Equal(500, failed.Count);
        Assert.All(failed, f => Assert.Equal(FailureStage.Prepare, f.Stage));
        Assert.Equal(250, failed.Select(f => f.RowKey).Distinct().Count());
        Assert.Contains("has the same key \"p300@example.com\"", failed.First(f => f.RowKey == "\"p300@example.com\"").ErrorMessage);
        using var emulator = await EmulatorClient.ConnectAsync(server);
        Assert.Equal(500, (int)(await emulator.StatsAsync())["tables"]!["contact"]!["records"]!);
    }

    [Fact]
    public async Task Keys_that_differ_only_in_case_are_one_record_as_in_Dataverse()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        var writer = new DeltaAppendWriter(new LocalLakeStorage(lake.Path), PeopleTable.Schema, TimeProvider.System);
        await writer.AppendAsync(Enumerable.Range(0, 300).Select(i => new object?[] { $"p{i}@example.com", $"v1 {i}" }).ToList(), "WRITE");
        // Keys 200–299 again in upper case (another partition), and 350–359 twice in one file, in two casings.
        await writer.AppendAsync(
            [.. Enumerable.Range(200, 200).Select(i => new object?[] { $"P{i}@EXAMPLE.COM", $"v2 {i}" }),
                .. Enumerable.Range(350, 10).Select(i => new object?[] { $"p{i}@Example.Com", $"v3 {i}" })],
            "WRITE");
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await PipelineHost.StartAsync(server, state.Path, extra: ("Empower:Pipeline:PartitionMaxRows", "200"));

        var summary = await PipelineHost.RunAsync(host, Job(lake.Path, "lastWins"), "r1");
        var again = await PipelineHost.RunAsync(host, Job(lake.Path, "lastWins"), "r2", full: true);

        Assert.Equal((510L, 400L, 0L, 110L), (summary.Read, summary.Written, summary.Failed, summary.Superseded));
        Assert.Equal((510L, 0L, 400L, 110L), (again.Read, again.Written, again.Unchanged, again.Superseded));
        using var emulator = await EmulatorClient.ConnectAsync(server);
        var stats = await emulator.StatsAsync();
        Assert.Equal(400, (int)stats["tables"]!["contact"]!["records"]!);
        Assert.Equal(0, (int)stats["tables"]!["contact"]!["duplicateKeyRejections"]!);
        foreach (int i in new[] { 0, 199, 200, 299, 349, 350, 359, 360, 399 })
        {
            var body = JsonNode.Parse(await (await emulator.GetAsync(
                $"contacts(emailaddress1='p{i}@example.com')?$select=lastname")).Content.ReadAsStringAsync())!;
            Assert.Equal(i < 200 ? $"v1 {i}" : i is >= 350 and < 360 ? $"v3 {i}" : $"v2 {i}", (string?)body["lastname"]);
        }
    }
}
