using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline.Contracts;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Pipeline;

/// <summary>
/// The standing chaos profile: whole runs under 20 % 503s, 5 % connection resets, 5 % responses lost after the
/// commit and tight service protection limits (one request per principal per second: the second request each
/// principal has in flight at the start is throttled on a machine of any speed). Whatever happens, the records in Dataverse are the rows the report
/// says were written, none is both failed and present, no Retry-After is violated, and the counts add up.
/// </summary>
[Trait("Category", "Pipeline")]
public sealed class ChaosRunTests
{
    private const int Rows = 20_000;

    [Theory]
    [InlineData("upsert")]
    [InlineData("insert")]
    public async Task Under_faults_and_throttling_every_row_lands_once_and_the_report_says_so(string mode)
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        for (int f = 0; f < 4; f++)
        {
            await PeopleTable.AppendAsync(lake.Path, f * (Rows / 4), Rows / 4);
        }

        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Faults:ServiceUnavailableRate", "0.2"), ("Emulator:Faults:ConnectionResetRate", "0.05"),
            ("Emulator:Faults:DropResponseAfterCommitRate", "0.05"), ("Emulator:Faults:Seed", "17"),
            ("Emulator:Limits:Enabled", "true"), ("Emulator:Limits:WindowSeconds", "1"), ("Emulator:Limits:MaxRequests", "1")));
        await using var host = await PipelineHost.StartAsync(server, state.Path, 4,
            ("Empower:Pipeline:PartitionMaxRows", "5000"), ("Empower:Dataverse:BatchSize", "500"),
            // At most two requests in flight per principal: one sent before a 429 reached the client cannot arrive so late,
            // on a loaded machine, that the emulator takes it for a Retry-After violation (it allows 1 s).
            ("Empower:Dataverse:MaxConcurrencyPerPrincipal", "2"), ("Empower:Dataverse:MaxThrottleWait", "00:00:02"));
        var job = JobDefinitionLoader.Parse($$"""
            { "name": "people", "source": { "path": "{{lake.Path}}" }, "target": { "table": "contact" }, "mode": "{{mode}}",
              "match": { "key": ["emailaddress1"] }, "maxDeferrals": 100,
              "columns": [ { "source": "email", "attribute": "emailaddress1" }, { "source": "last_name", "attribute": "lastname" } ] }
            """, "people.json");

        var summary = await PipelineHost.RunAsync(host, job, "chaos");

        using var emulator = await EmulatorClient.ConnectAsync(server);
        var stats = await emulator.StatsAsync();
        var failed = await new FailedRowsTable(new LocalLakeStorage(Path.Combine(state.Path, "people", "failed_rows")), TimeProvider.System).ReadAsync("chaos");
        var faults = stats["faults"]!.AsObject();
        Assert.True(faults.Count(f => (int)f.Value! > 0) >= 2 && faults.Sum(f => (int)f.Value!) >= 10, faults.ToJsonString());
        Assert.True((int)stats["totals"]!["throttled"]! > 0, "the limits should have throttled the run");
        Assert.Equal(0, (int)stats["totals"]!["retryAfterViolations"]!);
        Assert.Equal(summary.Read, summary.Rows.Accounted);
        Assert.Equal((long)Rows, summary.Read);
        Assert.Equal(summary.Failed, failed.Count);
        Assert.Equal((RunStatus.Succeeded, 0L, (long)Rows), (summary.Status, summary.Failed, summary.Written));
        Assert.Equal(Rows, (int)stats["tables"]!["contact"]!["records"]!);
        Assert.Equal(Rows, (int)stats["tables"]!["contact"]!["created"]!);
    }
}
