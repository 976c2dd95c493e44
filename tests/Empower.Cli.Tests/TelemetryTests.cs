using System.Text.Json;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;
using Empower.Testing.Telemetry;

namespace Empower.Cli.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Sync_exports_traces_metrics_and_logs_over_otlp_and_verbose_shows_empowers_events_on_standard_error()
    {
        using var folder = TempTable.Empty();
        using var receiver = new OtlpReceiver();
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        string job = SyncCommandTests.WriteJob(folder.Path,
            """{ "source": "name", "attribute": "emailaddress1" }, { "source": "name", "attribute": "lastname" }""");
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };

        var (exit, output, error) = await CliRunner.RunAsync(environment, "sync", "--job", job, "--settings",
            SyncCommandTests.WriteSettings(folder.Path, server), "--json", "--verbose", "--run-id", "otlp-1");

        Assert.True(exit == 0, error + output);
        // Standard output is the one JSON summary; the log lines went to standard error.
        Assert.Equal(9, JsonDocument.Parse(output.Trim()).RootElement.GetProperty("written").GetInt32());
        Assert.Contains("Empower.Sync.Pipeline.Planning.PlanActivity[3001]", error);
        Assert.DoesNotContain("Microsoft.DurableTask", error);
        string traces = receiver.Received("/v1/traces");
        Assert.Contains("sync.plan", traces);
        Assert.Contains("sync.publish", traces);
        Assert.Contains("dataverse.bulk", traces);
        Assert.Contains("otlp-1", traces);
        Assert.Contains("empower.sync.rows", receiver.Received("/v1/metrics"));
        Assert.Contains("empower.dataverse.requests", receiver.Received("/v1/metrics"));
        Assert.Contains("Job {Job} reads {Mode}", receiver.Received("/v1/logs"));
        Assert.DoesNotContain("emulator-secret", traces + receiver.Received("/v1/logs") + error);
    }
}
