using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.InProcess;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;

namespace Empower.Cli.Tests;

/// <summary>
/// A target that was emptied (a restored sandbox, a fresh emulator): <c>--full</c> reads everything but the published
/// state still says it is there; <c>--resend</c> sends every row and rebuilds the state, so later runs skip again.
/// </summary>
public sealed class ResendTests
{
    private static async Task<JsonNode> SyncAsync(string job, string settings, string runId, params string[] extra)
    {
        var (exit, json, error) = await CliRunner.RunAsync(["sync", "--job", job, "--settings", settings, "--run-id", runId, "--json", .. extra]);
        Assert.True(exit == 0, $"{runId}: exit {exit}: {error}{json}");
        return JsonNode.Parse(json)!["rows"]!;
    }

    private static async Task<int> RecordsAsync(EmulatorServer server)
    {
        using var emulator = await EmulatorClient.ConnectAsync(server);
        return (int)(await emulator.StatsAsync())["tables"]!["contact"]!["records"]!;
    }

    [Fact]
    public async Task Resend_after_the_target_was_emptied_sends_every_row_once_and_later_runs_skip_them_again()
    {
        using var folder = TempTable.Empty();
        string job = await StopAndResumeTests.WritePeopleJobAsync(folder.Path, files: 2);
        // The same URL both times, so the runs see one environment (another URL would be a new target, sent in full anyway).
        var at = ("urls", $"http://127.0.0.1:{StablePorts.Pick()}");
        await using (var first = await EmulatorServer.StartAsync(EmulatorSettings.Fast(at)))
        {
            var initial = await SyncAsync(job, StopAndResumeTests.WriteSettings(folder.Path, first), "first");
            Assert.Equal(10_000, (long)initial["written"]!);
        }

        // A new emulator is an emptied target: same job, same state folder.
        await using var emptied = await EmulatorServer.StartAsync(EmulatorSettings.Fast(at));
        string settings = StopAndResumeTests.WriteSettings(folder.Path, emptied);

        var full = await SyncAsync(job, settings, "full", "--full");
        int afterFull = await RecordsAsync(emptied);
        var resend = await SyncAsync(job, settings, "resend", "--resend");
        int afterResend = await RecordsAsync(emptied);
        var again = await SyncAsync(job, settings, "again", "--full");

        Assert.Equal((0L, 10_000L, 0), ((long)full["written"]!, (long)full["unchanged"]!, afterFull));
        Assert.Equal((10_000L, 0L, 10_000), ((long)resend["written"]!, (long)resend["unchanged"]!, afterResend));
        Assert.Equal((0L, 10_000L), ((long)again["written"]!, (long)again["unchanged"]!));
        string report = File.ReadAllText(Path.Combine(folder.Path, ".empower", "people", "runs", "resend", "report.md"));
        Assert.Contains("a resend was asked for (--resend)", report);
    }
}
