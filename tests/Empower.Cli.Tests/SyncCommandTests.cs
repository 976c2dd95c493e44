using System.Text.Json;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;

namespace Empower.Cli.Tests;

public sealed class SyncCommandTests
{
    internal static string WriteJob(string folder, string columns) =>
        Write(Path.Combine(folder, "job.json"), $$"""
            { "name": "cdf-people", "source": { "path": {{JsonSerializer.Serialize(TestTables.DeltaPath("cdf-table"))}} },
              "target": { "table": "contact" }, "match": { "key": ["emailaddress1"] },
              "columns": [ {{columns}} ] }
            """);

    internal static string WriteSettings(string folder, EmulatorServer server) =>
        Write(Path.Combine(folder, "settings.json"), JsonSerializer.Serialize(new
        {
            Empower = new
            {
                Dataverse = new
                {
                    Url = server.BaseAddress.AbsoluteUri,
                    TenantId = "emulator",
                    AuthorityHost = server.HttpsAddress!.AbsoluteUri,
                    DevelopmentCertificateThumbprint = server.CertificateThumbprint,
                    Principals = new[] { new { ClientId = "empower-app-1", ClientSecret = "emulator-secret" } },
                },
                Pipeline = new { StateLocation = Path.Combine(folder, "state") },
            },
        }));

    private static string Write(string path, string text)
    {
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Sync_publishes_a_delta_table_and_prints_a_json_summary()
    {
        using var folder = TempTable.Empty();
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        string job = WriteJob(folder.Path, """{ "source": "name", "attribute": "emailaddress1" }, { "source": "name", "attribute": "lastname" }""");

        var (exit, output, error) = await CliRunner.RunAsync("sync", "--job", job, "--settings", WriteSettings(folder.Path, server),
            "--json", "--run-id", "r1");

        Assert.True(exit == 0, error + output);
        var summary = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal((9, 9, 0), (summary.GetProperty("read").GetInt32(), summary.GetProperty("written").GetInt32(), summary.GetProperty("failed").GetInt32()));
        Assert.True(File.Exists(Path.Combine(folder.Path, "state", "cdf-people", "runs", "r1", "report.json")));
    }

    [Fact]
    public async Task A_second_sync_reads_only_the_changes_and_full_reads_everything_but_sends_nothing()
    {
        using var folder = TempTable.Empty();
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        string job = WriteJob(folder.Path, """{ "source": "id", "attribute": "emailaddress1" }, { "source": "name", "attribute": "lastname" }""");
        string settings = WriteSettings(folder.Path, server);
        await CliRunner.RunAsync("sync", "--job", job, "--settings", settings, "--json", "--run-id", "r1");

        var (_, again, _) = await CliRunner.RunAsync("sync", "--job", job, "--settings", settings, "--json", "--run-id", "r2");
        var (exit, full, error) = await CliRunner.RunAsync("sync", "--job", job, "--settings", settings, "--json", "--run-id", "r3", "--full");

        Assert.True(exit == 0, error + full);
        var second = JsonDocument.Parse(again.Trim().Split('\n')[^1]).RootElement;
        var third = JsonDocument.Parse(full.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(("changes", 0), (second.GetProperty("readMode").GetString(), second.GetProperty("read").GetInt32()));
        Assert.Equal(("full", 9, 0, 9), (third.GetProperty("readMode").GetString(), third.GetProperty("read").GetInt32(),
            third.GetProperty("written").GetInt32(), third.GetProperty("unchanged").GetInt32()));
    }

    [Fact]
    public async Task Validate_lists_every_problem_and_exits_with_2()
    {
        using var folder = TempTable.Empty();
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        string job = WriteJob(folder.Path, """{ "source": "nmae", "attribute": "emailaddress1" }, { "source": "name", "attribute": "lastnam" }""");

        var (exit, output, _) = await CliRunner.RunAsync("validate", "--job", job, "--settings", WriteSettings(folder.Path, server));

        Assert.Equal(2, exit);
        Assert.Contains("column 'nmae' is not in the source table (did you mean 'name'?)", output);
        Assert.Contains("did you mean 'lastname'?", output);
    }

    [Fact]
    public async Task Sync_of_a_malformed_job_starts_nothing()
    {
        using var folder = TempTable.Empty();
        string job = Write(Path.Combine(folder.Path, "bad.json"), "{ \"name\": ");

        var (exit, output, _) = await CliRunner.RunAsync("sync", "--job", job);

        Assert.Equal(2, exit);
        Assert.Contains("bad.json is not a valid job file", output);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "state")));
    }

    [Fact]
    public async Task Demo_publishes_the_sample_and_reports_counts_that_add_up()
    {
        using var folder = TempTable.Empty();

        var (exit, output, error) = await CliRunner.RunAsync("demo", "--rows", "500", "--json", "--folder", folder.Path);

        Assert.True(exit == 0, error + output);
        var lines = output.Trim().Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var accounts = lines.Single(l => l.GetProperty("job").GetString() == "demo-accounts");
        var contacts = lines.Single(l => l.GetProperty("job").GetString() == "demo-contacts");
        Assert.Equal((500, 498, 2), (accounts.GetProperty("read").GetInt32(), accounts.GetProperty("written").GetInt32(),
            accounts.GetProperty("failed").GetInt32()));
        // 1,250 contacts: 3 too-long names, 1 unknown company, and 3 + 3 contacts of the two bad accounts.
        Assert.Equal((1250, 1240, 10), (contacts.GetProperty("read").GetInt32(), contacts.GetProperty("written").GetInt32(),
            contacts.GetProperty("failed").GetInt32()));
        Assert.Equal(1240, contacts.GetProperty("emulator").GetProperty("records").GetInt32());
        Assert.Equal(0, contacts.GetProperty("emulator").GetProperty("retryAfterViolations").GetInt32());
        Assert.True(File.Exists(Path.Combine(folder.Path, "jobs", "contacts.json")));

        // The second pass over the unchanged lake writes nothing: accounts have no new commit, contacts are read again
        // in full to retry the rows Dataverse refused, and everything else is skipped as unchanged.
        var accountsAgain = accounts.GetProperty("secondPass");
        var contactsAgain = contacts.GetProperty("secondPass");
        Assert.Equal(("changes", 0), (accountsAgain.GetProperty("readMode").GetString(), accountsAgain.GetProperty("read").GetInt32()));
        Assert.Equal((1250, 0, 1240, 10), (contactsAgain.GetProperty("read").GetInt32(), contactsAgain.GetProperty("written").GetInt32(),
            contactsAgain.GetProperty("unchanged").GetInt32(), contactsAgain.GetProperty("failed").GetInt32()));
        Assert.Equal(0, contactsAgain.GetProperty("recordsWrittenInDataverse").GetInt32() + accountsAgain.GetProperty("recordsWrittenInDataverse").GetInt32());
        Assert.Equal(0, accountsAgain.GetProperty("requests").GetInt32());

        // The round trip: the records in Dataverse, ingested back into a Delta table of as many rows.
        var accountsBack = accounts.GetProperty("roundTrip");
        var contactsBack = contacts.GetProperty("roundTrip");
        Assert.Equal((498, 498), (accountsBack.GetProperty("rows").GetInt32(), accountsBack.GetProperty("recordsInDataverse").GetInt32()));
        Assert.Equal((1240, 1240), (contactsBack.GetProperty("rows").GetInt32(), contactsBack.GetProperty("recordsInDataverse").GetInt32()));
        var (inspectExit, inspect, _) = await CliRunner.RunAsync("inspect", contactsBack.GetProperty("path").GetString()!, "--json");
        Assert.Equal(0, inspectExit);
        Assert.Equal(1240, JsonDocument.Parse(inspect).RootElement.GetProperty("rowCount").GetInt32());

        string settings = Write(Path.Combine(folder.Path, "list.json"),
            JsonSerializer.Serialize(new { Empower = new { Pipeline = new { StateLocation = Path.Combine(folder.Path, "state") } } }));
        string run = contacts.GetProperty("runId").GetString()!;
        var (listExit, list, _) = await CliRunner.RunAsync("failed-rows", "list", "--job", Path.Combine(folder.Path, "jobs", "contacts.json"), "--settings",
            settings, "--run", run);
        Assert.Equal(0, listExit);
        Assert.Contains("10 failed rows, 0 since written.", list);
        Assert.Contains("0x80060891", list);
    }
}
