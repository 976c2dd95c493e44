using System.Net;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;

namespace Empower.Cli.Tests;

/// <summary><c>empower ingest</c> as a user runs it: a job file beside its lake folder, checked by <c>validate</c>, a snapshot, then the changes; a
/// wrong job exits 2.</summary>
public sealed class IngestCommandTests
{
    [Fact]
    public async Task Ingest_takes_a_snapshot_then_the_changes_and_refuses_a_wrong_column_with_exit_2()
    {
        using var folder = TempTable.Empty();
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        using var client = await EmulatorClient.ConnectAsync(server);
        string settings = StopAndResumeTests.WriteSettings(folder.Path, server);
        for (int i = 0; i < 12; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.PatchAsync($"contacts(emailaddress1='c{i}@example.com')",
                $$"""{ "lastname": "L{{i}}", "gendercode": {{i % 2 + 1}} }""")).StatusCode);
        }

        string job = Path.Combine(folder.Path, "contacts-in.json");
        File.WriteAllText(job,
            """{ "name": "contacts-in", "from": { "table": "contact", "columns": ["lastname", "emailaddress1", "gendercode"] }, "to": { "path": "lake/contacts" } }""");
        string wrong = Path.Combine(folder.Path, "wrong.json");
        File.WriteAllText(wrong, """{ "name": "wrong", "from": { "table": "contact", "columns": ["lastnme"] }, "to": { "path": "lake/wrong" } }""");

        var (validExit, valid, _) = await CliRunner.RunAsync("validate", "--job", job, "--settings", settings);
        var (invalidExit, invalid, _) = await CliRunner.RunAsync("validate", "--job", wrong, "--settings", settings);
        var (firstExit, first, firstError) = await CliRunner.RunAsync("ingest", "--job", job, "--settings", settings, "--json");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("contacts(emailaddress1='c3@example.com')")).StatusCode);
        var (secondExit, second, _) = await CliRunner.RunAsync("ingest", "--job", job, "--settings", settings);
        var (wrongExit, wrongOutput, _) = await CliRunner.RunAsync("ingest", "--job", wrong, "--settings", settings);
        var (inspectExit, inspect, _) = await CliRunner.RunAsync("inspect", Path.Combine(folder.Path, "lake", "contacts"), "--json");

        Assert.True(validExit == 0, valid);
        Assert.Contains("The ingest job 'contacts-in' is valid: 'contact' (change tracking on) → 5 columns of", valid);
        Assert.Equal(2, invalidExit);
        Assert.Contains("'lastnme' is not an attribute of 'contact' (did you mean 'lastname'?)", invalid);
        Assert.True(firstExit == 0, first + firstError);
        var result = JsonNode.Parse(first)!;
        Assert.Equal(("snapshot", 12L, 0L), ((string)result["mode"]!, (long)result["created"]!, (long)result["version"]!));
        Assert.Equal(0, secondExit);
        Assert.Contains("changes: changes since the last run's delta link): 1 read = 0 created + 0 updated + 1 deleted", second);
        // The progress line at the end counts from the records-read metric as the pages arrived.
        Assert.Contains("contacts-in: read — 1 record read · ", second);
        Assert.DoesNotContain("records read", first);
        Assert.Equal(2, wrongExit);
        Assert.Contains("from.columns: 'lastnme' is not an attribute of 'contact' (did you mean 'lastname'?)", wrongOutput);
        Assert.Equal(0, inspectExit);
        var table = JsonNode.Parse(inspect)!;
        Assert.Equal((1L, 11L), ((long)table["version"]!, (long)table["rowCount"]!));
        Assert.Equal(["contactid", "emailaddress1", "gendercode", "gendercode_label", "lastname"],
            table["columns"]!.AsArray().Select(c => (string)c!["name"]!).Order());
    }
}
