using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.FailedRows;
using Empower.Sync.Lake.Storage;
using Empower.Testing.Emulator;
using Empower.Testing.Jobs;
using Empower.Testing.Lake;
using Xunit.Abstractions;

namespace Empower.Cli.Tests;

/// <summary>
/// <c>kill -9</c> of <c>empower sync</c> early (host start or Plan), in Publish and at the end (Finalize), each followed
/// by a new run on the same state, then a run to the end: every good row is one record, every bad row is in the
/// failed-rows table exactly once, and no row is both.
/// </summary>
public sealed class CrashPointTests(ITestOutputHelper output)
{
    private const int Rows = 20_000;
    private const int Bad = 20;

    private static async Task<long> RecordsAsync(EmulatorServer server)
    {
        using var emulator = await EmulatorClient.ConnectAsync(server);
        return (long)(await emulator.StatsAsync())["tables"]!["contact"]!["records"]!;
    }

    [Fact]
    public async Task Killed_at_any_stage_then_run_again_every_row_ends_written_once_or_failed_once()
    {
        using var folder = TempTable.Empty();
        for (int f = 0; f < 4; f++)
        {
            // Every 1,000th last name is longer than lastname holds: 20 prepare failures.
            await PeopleTable.AppendAsync(Path.Combine(folder.Path, "people"), f * 5_000, 5_000, i => i % 1_000 == 0 ? new string('x', 60) : $"L{i}");
        }

        string job = new PeopleJob("people").WriteTo(folder.Path);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Cost:RequestOverheadMs", "60")));
        string settings = StopAndResumeTests.WriteSettings(folder.Path, server);

        async Task KillAsync(string runId, Func<Task<bool>> when)
        {
            using var sync = CliProcess.Start(null, null, "sync", "--job", job, "--settings", settings, "--run-id", runId, "--json");
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!sync.HasExited && !await when() && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            sync.Kill9();
            await sync.WaitForExitAsync(TimeSpan.FromSeconds(10));
            output.WriteLine($"{runId}: killed with {await RecordsAsync(server):N0} records");
        }

        var started = DateTime.UtcNow;
        await KillAsync("early", () => Task.FromResult(DateTime.UtcNow - started > TimeSpan.FromSeconds(1.5)));
        await KillAsync("in-publish", async () => await RecordsAsync(server) >= 8_000);
        await KillAsync("at-the-end", async () => await RecordsAsync(server) >= Rows - Bad);
        var (exit, json, error) = await CliRunner.RunAsync("sync", "--job", job, "--settings", settings, "--run-id", "last", "--json");

        Assert.True(exit is 0 or 1, $"exit {exit}: {error}{json}");
        using var emulator = await EmulatorClient.ConnectAsync(server);
        var contacts = (await emulator.StatsAsync())["tables"]!["contact"]!;
        Assert.Equal((Rows - Bad, Rows - Bad), ((long)contacts["records"]!, (long)contacts["created"]!));
        var failed = await new FailedRowsTable(new LocalLakeStorage(Path.Combine(folder.Path, ".empower", "people", "failed_rows")),
            TimeProvider.System).ReadAsync();
        output.WriteLine($"failed rows by run: {string.Join(", ", failed.GroupBy(f => f.RunId).Select(g => $"{g.Key} {g.Count()}"))}");
        // Each bad row once, across every run; none of them in Dataverse.
        Assert.Equal(Bad, failed.Count);
        Assert.Equal(Bad, failed.Select(f => (f.SourceFile, f.RowIndex)).Distinct().Count());
        var absent = await emulator.GetAsync("contacts(emailaddress1='p1000@example.com')");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, absent.StatusCode);
    }
}
