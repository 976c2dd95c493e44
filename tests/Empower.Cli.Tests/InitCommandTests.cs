using System.Text.Json.Nodes;
using Empower.Cli.Demo;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Jobs;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;

namespace Empower.Cli.Tests;

/// <summary>
/// <c>empower init</c> on the demo's tables: it proposes the mapping the demo's hand-written jobs hold (a lookup
/// included), the files pass <c>validate</c> and publish what the demo publishes; and it refuses to overwrite.
/// </summary>
public sealed class InitCommandTests
{
    [Fact]
    public async Task Init_on_the_demo_tables_proposes_the_demos_own_jobs_which_validate_and_sync()
    {
        using var folder = TempTable.Empty();
        string demo = Path.Combine(folder.Path, "demo");
        var (demoExit, demoOutput, demoError) = await CliRunner.RunAsync("demo", "--rows", "100", "--folder", demo, "--json");
        Assert.True(demoExit is 0 or 1, demoOutput + demoError);
        var demoRows = demoOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)
            .ToDictionary(s => (string)s["job"]!, s => s["rows"]!);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        string settings = StopAndResumeTests.WriteSettings(folder.Path, server);

        foreach (var (table, target, demoJob, handWritten) in new[]
        {
            ("accounts", "account", "demo-accounts", DemoJobs.AccountsJson(demo)),
            ("contacts", "contact", "demo-contacts", DemoJobs.ContactsJson(demo)),
        })
        {
            string file = Path.Combine(folder.Path, "jobs", $"{table}.json");
            var (exit, output, error) = await CliRunner.RunAsync("init", "--source", SampleLakePath(demo, table), "--table", target, "--settings", settings,
                "--out", file, "--json");
            Assert.True(exit == 0, output + error);
            var proposal = JsonNode.Parse(output)!;
            Assert.True((bool)proposal["valid"]!, output);
            Assert.Equal(file, (string)proposal["file"]!);

            var proposed = await JobDefinitionLoader.LoadAsync(file);
            var expected = JobDefinitionLoader.Parse(handWritten, "demo.json");
            Assert.Equal(Describe(expected), Describe(proposed));
            Assert.Equal(SampleLakePath(demo, table), proposed.Source.Path);

            var (validateExit, validateOutput, _) = await CliRunner.RunAsync("validate", "--job", file, "--settings", settings);
            Assert.True(validateExit == 0, validateOutput);
            var (syncExit, syncOutput, syncError) = await CliRunner.RunAsync("sync", "--job", file, "--settings", settings, "--json");
            Assert.True(syncExit is 0 or 1, syncOutput + syncError);
            var rows = JsonNode.Parse(syncOutput)!["rows"]!;
            Assert.Equal(((long)demoRows[demoJob]["written"]!, (long)demoRows[demoJob]["failed"]!), ((long)rows["written"]!, (long)rows["failed"]!));
        }

        var (again, againOutput, _) = await CliRunner.RunAsync("init", "--source", SampleLakePath(demo, "accounts"), "--table", "account", "--settings",
            settings, "--out", Path.Combine(folder.Path, "jobs", "accounts.json"));
        Assert.Equal(2, again);
        Assert.Contains("exists; give --force to replace it, or --out another file.", againOutput);
    }

    [Fact]
    public async Task A_proposal_that_does_not_validate_is_written_and_exits_2_naming_what_to_map()
    {
        using var folder = TempTable.Empty();
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        string settings = StopAndResumeTests.WriteSettings(folder.Path, server);
        string file = Path.Combine(folder.Path, "cdf.json");

        var (exit, output, error) = await CliRunner.RunAsync("init", "--source", TestTables.DeltaPath("cdf-table"), "--table", "contact", "--settings",
            settings, "--out", file);

        Assert.True(exit == 2, output + error);
        Assert.True(File.Exists(file));
        Assert.Contains("- 'id' (integer): no attribute of 'contact' has a similar name", output);
        Assert.Contains("- 'lastname' (String, ApplicationRequired)", output);
        Assert.Contains($"The job does not validate yet; edit {file}:", output);
        Assert.Contains("- match.key attribute 'emailaddress1' must be mapped from a source column, so every row carries its key.", output);
        var (validateExit, validateOutput, _) = await CliRunner.RunAsync("validate", "--job", file, "--settings", settings);
        Assert.Equal(2, validateExit);
        Assert.Contains("match.key attribute 'emailaddress1' must be mapped from a source column", validateOutput);
    }

    private static string SampleLakePath(string demo, string table) => table == "accounts" ? SampleLake.Accounts(demo) : SampleLake.Contacts(demo);

    private static string Describe(JobDefinition job) =>
        $"{job.Target.Table} {job.Mode} [{string.Join(",", job.Match?.Key ?? [])}] " + string.Join("; ",
            job.Columns.OrderBy(c => c.Source, StringComparer.Ordinal).Select(c =>
            $"{c.Source}→{c.Attribute ?? $"{c.Lookup!.Attribute}@{c.Lookup.Table}({string.Join(",", c.Lookup.Key)})"}"));
}
