using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Pipeline;

/// <summary>
/// Incremental runs over real Change Data Feed tables, one commit at a time, end where one full sync of the latest
/// version ends: same records, same values, deleted rows deleted.
/// </summary>
[Trait("Category", "Pipeline")]
public sealed class IncrementalReadTests
{
    private static JobDefinition Job(string source, string textColumn, string textAttribute, string? dateColumn, string deletes = "delete") => JobDefinitionLoader.Parse($$"""
        { "name": "cdf", "source": { "path": {{System.Text.Json.JsonSerializer.Serialize(source)}} }, "target": { "table": "contact" }, "mode": "upsert",
          "match": { "key": ["emailaddress1"] }, "nulls": "clear", "deletes": "{{deletes}}",
          "columns": [
            { "source": "id", "attribute": "emailaddress1" },
            { "source": "{{textColumn}}", "attribute": "{{textAttribute}}" }
            {{(dateColumn is null ? "" : $", {{ \"source\": \"{dateColumn}\", \"attribute\": \"birthdate\" }}")}}
          ] }
        """, "cdf.json");

    private static async Task<List<string>> ContactsAsync(EmulatorServer server)
    {
        using var emulator = await EmulatorClient.ConnectAsync(server);
        var page = JsonNode.Parse(await (await emulator.GetAsync(
            "contacts?$select=emailaddress1,firstname,description,birthdate")).Content.ReadAsStringAsync())!;
        return [.. page["value"]!.AsArray()
            .Select(r => $"{r!["emailaddress1"]}|{r["firstname"]}|{r["description"]}|{r["birthdate"]}")
            .Order(StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData("cdf-table", "name", "firstname", "birthday")]
    [InlineData("cdf-table-with-cdc-and-dvs", "comment", "description", null)]
    public async Task Runs_commit_by_commit_end_where_a_full_sync_of_the_latest_version_does(string name, string textColumn,
        string textAttribute, string? dateColumn)
    {
        using var table = TempTable.Copy(name);
        using var held = TempTable.Empty();
        using var state = TempTable.Empty();
        using var fullState = TempTable.Empty();
        string log = Path.Combine(table.Path, "_delta_log");
        var commits = Directory.GetFiles(log, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        foreach (var later in Directory.GetFiles(log).Where(f => !Path.GetFileName(f).StartsWith(commits[0][..20], StringComparison.Ordinal)))
        {
            File.Move(later, Path.Combine(held.Path, Path.GetFileName(later)));
        }

        var job = Job(table.Path, textColumn, textAttribute, dateColumn);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        var runs = new List<RunSummary>();
        await using (var host = await PipelineHost.StartAsync(server, state.Path))
        {
            runs.Add(await PipelineHost.RunAsync(host, job, "v0"));
            foreach (string commit in commits.Skip(1))
            {
                foreach (var file in Directory.GetFiles(held.Path, commit[..20] + ".*"))
                {
                    File.Move(file, Path.Combine(log, Path.GetFileName(file)));
                }

                runs.Add(await PipelineHost.RunAsync(host, job, "v" + long.Parse(commit[..20], System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        await using var fresh = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using (var host = await PipelineHost.StartAsync(fresh, fullState.Path))
        {
            var full = await PipelineHost.RunAsync(host, job, "full");
            Assert.Equal(0, full.Failed);
        }

        var incremental = await ContactsAsync(server);
        Assert.Equal(await ContactsAsync(fresh), incremental);
        Assert.Equal(TestTables.ExpectedRows[name], incremental.Count);
        Assert.All(runs, r => Assert.Equal(r.Rows.Read, r.Rows.Accounted));
        Assert.All(runs, r => Assert.Equal(0, r.Failed));
        Assert.Contains(runs, r => r.ReadMode == "changes" && r.Rows.Deleted + r.Rows.Written > 0);
        Assert.Contains(runs, r => r.Rows.Deleted > 0);
        if (name == "cdf-table-with-cdc-and-dvs")
        {
            // Its DELETEs mark rows in deletion vectors and write no Change Data Feed: those commits are read in full,
            // and the published keys no longer in the table are deleted.
            Assert.Contains(runs, r => r.ReadMode == "full" && r.ReadReason.Contains("(DELETE) rewrote files", StringComparison.Ordinal) && r.Rows.Deleted > 0);
        }
    }

    [Theory]
    [InlineData("deactivate", 10, 1)]
    [InlineData("ignore", 10, 0)]
    [InlineData("delete", 9, 0)]
    public async Task A_lake_delete_deletes_deactivates_or_leaves_the_record_as_the_job_says(string deletes, int records, int inactive)
    {
        // cdf-table: version 2 holds 10 people; version 3 deletes one of them, with Change Data Feed.
        using var table = TempTable.Copy("cdf-table");
        using var state = TempTable.Empty();
        string log = Path.Combine(table.Path, "_delta_log");
        string last = Path.Combine(log, "00000000000000000003.json");
        File.Move(last, last + ".held");
        var job = Job(table.Path, "name", "firstname", "birthday", deletes);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await PipelineHost.StartAsync(server, state.Path);
        await PipelineHost.RunAsync(host, job, "v2");
        File.Move(last + ".held", last);

        var run = await PipelineHost.RunAsync(host, job, "v3");

        using var emulator = await EmulatorClient.ConnectAsync(server);
        var page = JsonNode.Parse(await (await emulator.GetAsync(
            "contacts?$select=emailaddress1,statecode,statuscode")).Content.ReadAsStringAsync())!["value"]!.AsArray();
        Assert.Equal("changes", run.ReadMode);
        Assert.Equal(deletes == "ignore" ? (0L, 1L) : (1L, 0L), (run.Rows.Deleted, run.Rows.DeletesIgnored));
        Assert.Equal(records, page.Count);
        Assert.Equal(inactive, page.Count(r => (int?)r!["statecode"] == 1 && (int?)r["statuscode"] == 2));
    }
}
