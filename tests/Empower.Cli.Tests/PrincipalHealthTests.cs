using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;

namespace Empower.Cli.Tests;

/// <summary>A principal that cannot get a token is never dropped silently: validate fails naming it, sync warns everywhere and goes on.</summary>
public sealed class PrincipalHealthTests
{
    private const string Refused = "the identity provider refused client id empower-app-2: AADSTS7000215: Invalid client secret provided for " +
        "application 'empower-app-2'.";

    [Fact]
    public async Task Validate_names_a_principal_with_a_wrong_secret_with_the_identity_providers_error_and_exits_with_3()
    {
        using var folder = TempTable.Empty();
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        string job = await StopAndResumeTests.WritePeopleJobAsync(folder.Path, files: 1);
        string settings = StopAndResumeTests.WriteSettings(folder.Path, server, ("empower-app-1", "emulator-secret"), ("empower-app-2", "wrong-secret"));

        var (exit, output, _) = await CliRunner.RunAsync("validate", "--job", job, "--settings", settings);

        Assert.True(exit == 3, output);
        Assert.Contains($"error: principal empower-app-2: {Refused}", output);
        Assert.Contains("1 of 2 principals cannot get a token", output);
    }

    [Fact]
    public async Task Sync_with_one_bad_principal_of_two_writes_every_row_with_the_other_and_says_which_was_taken_out_and_why()
    {
        using var folder = TempTable.Empty();
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        string job = await StopAndResumeTests.WritePeopleJobAsync(folder.Path, files: 1);
        string settings = StopAndResumeTests.WriteSettings(folder.Path, server, ("empower-app-1", "emulator-secret"), ("empower-app-2", "wrong-secret"));

        var (exit, json, error) = await CliRunner.RunAsync("sync", "--job", job, "--settings", settings, "--json", "--run-id", "r1");
        var (_, text, _) = await CliRunner.RunAsync("sync", "--job", job, "--settings", settings, "--run-id", "r2", "--full");

        Assert.True(exit == 0, json + error);
        Assert.Contains($"warning: principal empower-app-2 is taken out: {Refused} The run goes on with 1 of 2 principals.", error);
        Assert.Contains($"Principal empower-app-2 is taken out of rotation: {Refused}", error);
        var summary = JsonNode.Parse(json)!;
        Assert.Equal(5_000L, (long)summary["rows"]!["written"]!);
        var taken = Assert.Single(summary["principalsOut"]!.AsArray());
        Assert.Equal(("empower-app-2", Refused), ((string)taken!["principal"]!, (string)taken["reason"]!));
        string report = File.ReadAllText(Path.Combine(folder.Path, ".empower", "people", "runs", "r1", "report.md"));
        Assert.Contains($"## Principals taken out\n\n- empower-app-2: {Refused}", report);
        Assert.Contains($"Principal taken out: empower-app-2: {Refused}", text);
    }
}
