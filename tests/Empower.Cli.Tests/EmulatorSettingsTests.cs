using Empower.InProcess;
using Empower.Testing.Lake;

namespace Empower.Cli.Tests;

/// <summary>
/// The local development path: <c>empower emulator --write-settings</c> writes a settings file that <c>sync</c> uses as
/// it is, and after a restart the same file still works — the per-user certificate, and so its pinned thumbprint, stays.
/// </summary>
public sealed class EmulatorSettingsTests
{
    [Fact]
    public async Task A_written_settings_file_works_for_sync_and_still_works_after_the_emulator_restarts()
    {
        using var folder = TempTable.Empty();
        using var home = TempTable.Empty();
        string job = await StopAndResumeTests.WritePeopleJobAsync(folder.Path, files: 1);
        string settings = Path.Combine(folder.Path, "emulator.settings.json");
        string port = "";
        var environment = new Dictionary<string, string> { ["HOME"] = home.Path };

        async Task<CliProcess> StartEmulatorAsync(bool newPort, string[] emulatorArgs)
        {
            for (int attempt = 1; ; attempt++)
            {
                // Two ports (HTTP and HTTPS) that outgoing connections of other tests cannot take between the two starts.
                port = newPort ? StablePorts.Pick(count: 2).ToString(System.Globalization.CultureInfo.InvariantCulture) : port;
                var emulator = CliProcess.Start(environment, folder.Path, ["emulator", "--port", port, .. emulatorArgs]);
                if (await emulator.WaitForLineAsync(l => l.Contains("Ctrl+C", StringComparison.Ordinal), TimeSpan.FromMinutes(3)))
                {
                    return emulator;
                }

                emulator.Dispose();
                // Tests running alongside bind ports too: a free port can be taken before the emulator binds it.
                Assert.True(attempt < 3 && emulator.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase),
                    $"emulator on port {port}: {emulator.Output}");
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }

        async Task<(int Exit, string Output)> SyncWithEmulatorAsync(string runId, bool newPort, params string[] emulatorArgs)
        {
            using var emulator = await StartEmulatorAsync(newPort, emulatorArgs);
            var (exit, output, error) = await CliRunner.RunAsync("sync", "--job", job, "--settings", settings, "--run-id", runId, "--json");
            emulator.Signal(CliProcess.SigInt);
            await emulator.WaitForExitAsync(TimeSpan.FromSeconds(20));
            return (exit, exit == 0 ? output : output + error);
        }

        var first = await SyncWithEmulatorAsync("first", newPort: true, "--write-settings", settings);
        string written = File.ReadAllText(settings);
        var second = await SyncWithEmulatorAsync("after-restart", newPort: false);

        Assert.True(first.Exit == 0, first.Output);
        Assert.Equal(5_000L, (long)System.Text.Json.Nodes.JsonNode.Parse(first.Output)!["rows"]!["written"]!);
        Assert.Contains("DevelopmentCertificateThumbprint", written);
        Assert.True(File.Exists(Path.Combine(home.Path, ".empower", "emulator-certificate.pfx")));
        // The restarted emulator presents the same certificate: the unedited file still gets tokens (a stale thumbprint exits 3).
        Assert.True(second.Exit == 0, second.Output);
        Assert.Equal(written, File.ReadAllText(settings));
    }
}
