using System.Text.Json;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Testing.Emulator;
using Empower.Testing.Jobs;
using Empower.Testing.Lake;
using Xunit.Abstractions;

namespace Empower.Cli.Tests;

/// <summary>
/// <c>empower sync</c> under a scheduler or at a terminal: SIGINT/SIGTERM stop it gracefully with 130/143 and a
/// <c>cancelled</c> report, kill -9 loses nothing, and the next run does not send again what Dataverse confirmed.
/// </summary>
public sealed class StopAndResumeTests(ITestOutputHelper output)
{
    private const int Files = 8;
    private const int RowsPerFile = 5_000;
    private const int Rows = Files * RowsPerFile;
    private const int Parallelism = 2;
    private const int WindowRows = 1_000;

    /// <summary>A folder with a people table (<c>people/</c>, one file per commit) and a job naming it by a relative path.</summary>
    internal static async Task<string> WritePeopleJobAsync(string folder, int files = Files)
    {
        for (int f = 0; f < files; f++)
        {
            await PeopleTable.AppendAsync(Path.Combine(folder, "people"), f * RowsPerFile, RowsPerFile);
        }

        return new PeopleJob("people").WriteTo(folder);
    }

    /// <summary>Settings without a state location (so it defaults to <c>.empower</c> beside the job file).</summary>
    internal static string WriteSettings(string folder, EmulatorServer server, params (string ClientId, string Secret)[] principals)
    {
        string path = Path.Combine(folder, "settings.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            Empower = new
            {
                Dataverse = new
                {
                    Url = server.BaseAddress.AbsoluteUri,
                    TenantId = "emulator",
                    AuthorityHost = server.HttpsAddress!.AbsoluteUri,
                    DevelopmentCertificateThumbprint = server.CertificateThumbprint,
                    Principals = (principals.Length > 0 ? principals : [("empower-app-1", "emulator-secret")]).Select(p => new { p.ClientId,
                        ClientSecret = p.Secret }),
                    BatchSize = 100,
                },
                Pipeline = new { PartitionMaxRows = RowsPerFile, Parallelism, WindowRows },
            },
        }));
        return path;
    }

    private static Task<EmulatorServer> SlowEmulatorAsync() => EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Cost:RequestOverheadMs", "60")));

    private static async Task<JsonObject> ContactsAsync(EmulatorServer server)
    {
        using var emulator = await EmulatorClient.ConnectAsync(server);
        return (await emulator.StatsAsync())["tables"]!["contact"]!.AsObject();
    }

    private static JsonNode Report(string folder, string runId) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, ".empower", "people", "runs", runId, "report.json")))!["summary"]!;

    /// <summary>Starts a sync and waits until the emulator holds at least <paramref name="records"/> contacts.</summary>
    private static async Task<CliProcess> StartAndWaitForRecordsAsync(EmulatorServer server, string job, string settings, string runId, long records)
    {
        var sync = CliProcess.Start(null, null, "sync", "--job", job, "--settings", settings, "--run-id", runId, "--json");
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((long)(await ContactsAsync(server))["records"]! < records)
        {
            Assert.False(sync.HasExited, $"the run ended before it was stopped:\n{sync.Output}");
            Assert.True(DateTime.UtcNow < deadline, "the run wrote nothing for two minutes");
            await Task.Delay(50);
        }

        return sync;
    }

    [Theory]
    [InlineData(CliProcess.SigInt, 130)]
    [InlineData(CliProcess.SigTerm, 143)]
    public async Task A_signal_during_publish_stops_the_run_with_a_cancelled_report_and_the_next_run_sends_no_row_twice_beyond_the_windows_in_flight(
        int signal, int expected)
    {
        using var folder = TempTable.Empty();
        await using var server = await SlowEmulatorAsync();
        string job = await WritePeopleJobAsync(folder.Path);
        string settings = WriteSettings(folder.Path, server);

        using var sync = await StartAndWaitForRecordsAsync(server, job, settings, "stopped", 3_000);
        sync.Signal(signal);
        var (exit, took) = await sync.WaitForExitAsync(TimeSpan.FromSeconds(45));
        long atStop = (long)(await ContactsAsync(server))["records"]!;
        bool watermark = Directory.Exists(Path.Combine(folder.Path, ".empower", "people", "watermarks"));
        var (rerun, json, _) = await CliRunner.RunAsync("sync", "--job", job, "--settings", settings, "--run-id", "after", "--json");
        var contacts = await ContactsAsync(server);

        Assert.True(exit == expected, $"exit {exit}\n{sync.Output}");
        var report = Report(folder.Path, "stopped");
        Assert.Equal(("cancelled", "publish"), ((string)report["status"]!, (string)report["stoppedIn"]!));
        var rows = report["rows"]!;
        long read = (long)rows["read"]!, written = (long)rows["written"]!, notSent = (long)rows["notSent"]!;
        Assert.Equal(read, written + (long)rows["unchanged"]! + (long)rows["failed"]! + (long)rows["superseded"]! + notSent);
        Assert.True(written > 0 && written < Rows, $"written {written}");
        Assert.False(watermark, "a cancelled run must not move the watermark");
        var summary = JsonNode.Parse(sync.Output.Split('\n').Last(l => l.StartsWith('{')))!;
        Assert.Equal("cancelled", (string)summary["status"]!);

        Assert.True(rerun == 0, json);
        Assert.Equal((Rows, Rows), ((long)contacts["records"]!, (long)contacts["created"]!));
        long sentTwice = (long)contacts["updated"]!;
        output.WriteLine($"signal {signal}: exit {exit} after {took.TotalSeconds:N1} s; {written:N0} written and {notSent:N0} not sent by the stopped run " +
            $"({atStop:N0} records); the next run sent {sentTwice:N0} rows twice");
        Assert.InRange(sentTwice, 0, Parallelism * WindowRows);
        Assert.Equal(written, (long)JsonNode.Parse(json)!["rows"]!["unchanged"]!);
    }

    [Fact]
    public async Task A_signal_during_plan_exits_with_143_and_a_cancelled_report_and_writes_nothing()
    {
        using var folder = TempTable.Empty();
        // Every request takes 1.5 s, so Plan's metadata request is under way when the signal comes.
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Cost:RequestOverheadMs", "1500")));
        string job = await WritePeopleJobAsync(folder.Path, files: 1);
        string settings = WriteSettings(folder.Path, server);

        using var sync = CliProcess.Start(null, null, "sync", "--job", job, "--settings", settings, "--run-id", "in-plan", "--progress-every", "1");
        // Generous: on a loaded 2-core machine running every test project at once, start-up alone has taken over a minute.
        Assert.True(await sync.WaitForLineAsync(l => l.Contains("people: plan —", StringComparison.Ordinal), TimeSpan.FromMinutes(3)),
            $"no plan progress line (exited: {sync.HasExited}):\n{sync.Output}");
        sync.Signal(CliProcess.SigTerm);
        var (exit, _) = await sync.WaitForExitAsync(TimeSpan.FromSeconds(45));

        Assert.True(exit == 143, $"exit {exit}\n{sync.Output}");
        var report = Report(folder.Path, "in-plan");
        Assert.Equal(("cancelled", "plan"), ((string)report["status"]!, (string)report["stoppedIn"]!));
        Assert.Equal(0L, (long)(await ContactsAsync(server))["records"]!);
        Assert.Contains("The run was cancelled during plan", sync.Output);
    }

    [Fact]
    public async Task After_kill_9_the_next_run_resends_at_most_the_windows_in_flight()
    {
        using var folder = TempTable.Empty();
        await using var server = await SlowEmulatorAsync();
        string job = await WritePeopleJobAsync(folder.Path);
        string settings = WriteSettings(folder.Path, server);

        using var sync = await StartAndWaitForRecordsAsync(server, job, settings, "killed", Rows / 2);
        sync.Kill9();
        await sync.WaitForExitAsync(TimeSpan.FromSeconds(10));
        long atKill = (long)(await ContactsAsync(server))["records"]!;
        var (rerun, json, error) = await CliRunner.RunAsync("sync", "--job", job, "--settings", settings, "--run-id", "after", "--json");
        var contacts = await ContactsAsync(server);

        Assert.True(rerun == 0, json + error);
        var summary = JsonNode.Parse(json)!;
        long sentTwice = (long)contacts["updated"]!;
        output.WriteLine($"kill -9 at {atKill:N0} of {Rows:N0} records; the re-run skipped {(long)summary["rows"]!["unchanged"]!:N0} as confirmed, wrote " +
            $"{(long)summary["rows"]!["written"]!:N0}; rows written twice: {sentTwice:N0} (bound {Parallelism * WindowRows:N0})");
        Assert.Equal((Rows, Rows), ((long)contacts["records"]!, (long)contacts["created"]!));
        Assert.InRange(sentTwice, 0, Parallelism * WindowRows);
        Assert.Contains("adopted", error + json, StringComparison.Ordinal);
    }
}
