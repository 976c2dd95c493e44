using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Writing;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;

namespace Empower.Cli.Tests;

/// <summary>
/// <c>empower failed-rows</c> as a user works through a run's failures: list them (keys as the job names them, rows
/// numbered as the report does, JSON for scripts), replay the ones a fix in Dataverse resolves, and be told plainly
/// about runs that do not exist and rows only the lake can fix.
/// </summary>
public sealed class FailedRowsCommandTests
{
    private static readonly LakeSchema Lines = new(
    [
        new LakeField("order", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("line", LakeDataType.Primitive(LakeTypeKind.Integer)),
        new LakeField("name", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("discount", LakeDataType.Primitive(LakeTypeKind.Double)),
        new LakeField("account", LakeDataType.Primitive(LakeTypeKind.String)),
    ]);

    /// <summary>Row 0 lands, row 1's account does not exist yet (publish), row 2's discount is out of range (prepare).</summary>
    private static async Task<string> WriteJobAsync(string folder)
    {
        await new DeltaAppendWriter(new LocalLakeStorage(Path.Combine(folder, "lines")), Lines, TimeProvider.System).AppendAsync(
        [
            ["SO-1", 1, "first", 0.1, "A-1"],
            ["SO-2", 1, "second", 0.2, "A-LATER"],
            ["SO-3", 2, "third", 5.0, "A-1"],
        ], "WRITE");
        string job = Path.Combine(folder, "lines.json");
        File.WriteAllText(job, """
            { "name": "lines", "source": { "path": "lines" }, "target": { "table": "empower_salesorderline" },
              "match": { "key": ["empower_ordernumber", "empower_linenumber"] },
              "columns": [
                { "source": "order", "attribute": "empower_ordernumber" }, { "source": "line", "attribute": "empower_linenumber" },
                { "source": "name", "attribute": "empower_name" }, { "source": "discount", "attribute": "empower_discount" },
                { "source": "account", "lookup": { "attribute": "empower_accountid", "table": "account", "key": ["accountnumber"] } } ] }
            """);
        return job;
    }

    [Fact]
    public async Task List_replay_and_their_refusals_work_a_run_through_to_the_rows_only_the_lake_can_fix()
    {
        using var folder = TempTable.Empty();
        string job = await WriteJobAsync(folder.Path);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        string settings = StopAndResumeTests.WriteSettings(folder.Path, server);
        using var emulator = await EmulatorClient.ConnectAsync(server);
        await emulator.PatchAsync("accounts(accountnumber='A-1')", """{ "name": "One" }""");

        var (syncExit, _, syncError) = await CliRunner.RunAsync("sync", "--job", job, "--settings", settings, "--run-id", "first");
        var (jsonExit, json, _) = await CliRunner.RunAsync("failed-rows", "list", "--job", job, "--settings", settings, "--run", "first", "--json");
        var (textExit, text, _) = await CliRunner.RunAsync(new Dictionary<string, string> { ["COLUMNS"] = "80" }, "failed-rows", "list", "--job", job,
            "--settings", settings);
        var (unknownExit, unknown, unknownError) = await CliRunner.RunAsync("failed-rows", "list", "--job", job, "--settings", settings, "--run", "nope");
        var (earlyExit, early, _) = await CliRunner.RunAsync("failed-rows", "replay", "--job", job, "--settings", settings, "--run", "first");
        await emulator.PatchAsync("accounts(accountnumber='A-LATER')", """{ "name": "Later" }""");
        var (replayExit, replay, replayError) = await CliRunner.RunAsync("failed-rows", "replay", "--job", job, "--settings", settings, "--run", "first");
        var (againExit, again, _) = await CliRunner.RunAsync("sync", "--job", job, "--settings", settings, "--run-id", "after", "--json");
        var (onlyLakeExit, onlyLakeOutput, onlyLakeError) = await CliRunner.RunAsync("failed-rows", "replay", "--job", job, "--settings",
            settings, "--run", "after");

        Assert.True(syncExit == 1, syncError);
        Assert.Equal(0, jsonExit);
        var rows = JsonNode.Parse(json)!["rows"]!.AsArray();
        var publish = rows.Single(r => (string)r!["stage"]! == "publish")!;
        var prepare = rows.Single(r => (string)r!["stage"]! == "prepare")!;
        Assert.Equal(("empower_ordernumber=SO-2, empower_linenumber=1", 1L, "0x80060891"),
            ((string?)publish["key"], (long)publish["row"]!, (string?)publish["code"]));
        Assert.Equal(2L, (long)prepare["row"]!);
        // Its discount failed, its key did not: the key is recorded for every stage.
        Assert.Equal("empower_ordernumber=SO-3, empower_linenumber=2", (string?)prepare["key"]);
        Assert.Contains("outside 0..1", (string)prepare["reason"]!);
        Assert.EndsWith(Path.Combine("lines", "failed_rows"), (string)JsonNode.Parse(json)!["location"]!);

        Assert.Equal(0, textExit);
        Assert.Contains("Rows are numbered from 0 in their file", text);
        // A pipe is not a terminal: nothing is wrapped or cut at 80 columns.
        Assert.Contains("empower_ordernumber=SO-2, empower_linenumber=1", text);
        Assert.Contains("the value 5 is outside 0..1, the range of attribute 'empower_discount'", text);
        Assert.Contains("2 failed rows, 0 since written.", text);

        Assert.Equal(2, unknownExit);
        Assert.Contains("There is no run nope of job lines", unknown + unknownError);
        Assert.Contains("Runs with failed rows: first.", unknown + unknownError);

        Assert.Equal(1, earlyExit);
        Assert.Contains("1 replayed: 0 now written, 1 still failing", early);
        Assert.Contains("1 not replayable (prepare or read failures", early);

        Assert.True(replayExit == 0, replay + replayError);
        Assert.Contains("1 replayed: 1 now written, 0 still failing", replay);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(folder.Path, ".empower", "lines", "runs"), "replay.json", SearchOption.AllDirectories).Length);
        // The replayed row is published: the next sync skips it and only the prepare failure remains.
        Assert.Equal(1, againExit);
        var summary = JsonNode.Parse(again)!["rows"]!;
        Assert.Equal((0L, 1L), ((long)summary["written"]!, (long)summary["failed"]!));
        Assert.Equal(2, (int)(await emulator.StatsAsync())["tables"]!["empower_salesorderline"]!["records"]!);

        Assert.Equal(2, onlyLakeExit);
        Assert.Contains("none of which can be replayed: they failed in prepare or read", onlyLakeOutput + onlyLakeError);

        // The replay wrote SO-2: its failures (the sync's and the first replay's) are resolved, SO-3's are not.
        var listed = await ListAsync(job, settings);
        Assert.True(listed.Count == 4, string.Join("\n", listed.Select(r => r.ToJsonString())));
        Assert.All(listed.Where(r => ((string)r["key"]!).Contains("SO-2", StringComparison.Ordinal)),
            r => Assert.StartsWith("replay-", (string?)r["resolvedBy"]));
        Assert.All(listed.Where(r => ((string)r["key"]!).Contains("SO-3", StringComparison.Ordinal)), r => Assert.Null(r["resolvedBy"]));
        Assert.Equal(2, listed.Count(r => r["resolvedBy"] is null));

        // Fixed in the lake and synced: the prepare failures are resolved too, and --hide-resolved leaves nothing.
        await new DeltaAppendWriter(new LocalLakeStorage(Path.Combine(folder.Path, "lines")), Lines,
            TimeProvider.System).AppendAsync([["SO-3", 2, "third", 0.5, "A-1"]], "WRITE");
        var (fixedExit, fixedOutput, fixedError) = await CliRunner.RunAsync("sync", "--job", job, "--settings", settings, "--run-id", "fixed", "--json");
        Assert.True(fixedExit == 0, fixedOutput + fixedError);
        Assert.All((await ListAsync(job, settings)).Where(r => ((string)r["key"]!).Contains("SO-3", StringComparison.Ordinal)),
            r => Assert.Equal("fixed", (string?)r["resolvedBy"]));
        var (hideExit, hidden, _) = await CliRunner.RunAsync("failed-rows", "list", "--job", job, "--settings", settings, "--hide-resolved");
        Assert.Equal(0, hideExit);
        Assert.Contains("0 failed rows not written since; 4 since written, hidden (--hide-resolved).", hidden);
    }

    private static async Task<List<JsonNode>> ListAsync(string job, string settings)
    {
        var (exit, json, error) = await CliRunner.RunAsync("failed-rows", "list", "--job", job, "--settings", settings, "--json");
        Assert.True(exit == 0, json + error);
        Assert.True((bool)JsonNode.Parse(json)!["resolutionKnown"]!);
        return [.. JsonNode.Parse(json)!["rows"]!.AsArray().Select(r => r!)];
    }
}
