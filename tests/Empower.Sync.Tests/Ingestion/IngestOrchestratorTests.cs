using System.Net;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Ingestion;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Tests.Pipeline;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;
using Microsoft.DurableTask.Client;

namespace Empower.Sync.Tests.Ingestion;

/// <summary>
/// The ingest orchestration under throttling past the sender's wait: the activity hands the retry time back, the
/// orchestration waits on a durable timer (layer 2) and the snapshot resumes at the page it stopped at.
/// </summary>
[Trait("Category", "Pipeline")]
public sealed class IngestOrchestratorTests
{
    [Fact]
    public async Task A_throttled_snapshot_waits_on_durable_timers_resumes_where_it_stopped_and_commits_every_record_once()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Limits:Enabled", "true"), ("Emulator:Limits:WindowSeconds", "2"), ("Emulator:Limits:MaxRequests", "2")));
        using var client = await EmulatorClient.ConnectAsync(server);
        foreach (var chunk in Enumerable.Range(0, 600).Chunk(300))
        {
            var targets = new JsonArray([.. chunk.Select(i => (JsonNode)new JsonObject { ["@odata.type"] = "Microsoft.Dynamics.CRM.account",
                ["name"] = $"Account {i}", ["accountnumber"] = $"OR-{i:D4}" })]);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("accounts/Microsoft.Dynamics.CRM.CreateMultiple",
                new JsonObject { ["Targets"] = targets }.ToJsonString())).StatusCode);
            await Task.Delay(TimeSpan.FromSeconds(2.1));
        }

        await using var host = await PipelineHost.StartAsync(server, state.Path, 1, ("Empower:Dataverse:MaxThrottleWait", "00:00:00.2"));
        var job = IngestJobLoader.Parse(
            $$"""{ "name": "accounts-in", "from": { "table": "account", "columns": ["name", "accountnumber"] }, "to": { "path": "{{lake.Path}}" }, "pageSize": 50, "maxDeferrals": 100 }""",
            "accounts-in.json");

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(IngestOrchestrator), new IngestRunInput(job, "throttled"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var run = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        var result = run.ReadOutputAs<IngestResult>()!;
        Assert.True(result.Deferrals > 0, "the snapshot should have been deferred to a durable timer");
        Assert.Equal(("snapshot", 600L, 600L, 12), (result.Mode, result.Read, result.Created, result.Pages));
        // 600 rows fit one file: more files mean steps suspended mid-snapshot and the next ones resumed after them.
        Assert.True(result.FilesAdded > 1, $"{result.FilesAdded} file(s): the snapshot was never resumed mid-way");
        var table = await LakeTableOpener.OpenAsync(new LocalLakeStorage(lake.Path), TableRequest.Latest);
        var numbers = new List<string>();
        await foreach (var batch in new LakeTableReader(new LocalLakeStorage(lake.Path), table).ReadAllAsync())
        {
            numbers.AddRange(Enumerable.Range(0, batch.RowCount).Select(r => (string)batch["accountnumber"].GetValue(r)!));
        }

        Assert.Equal(Enumerable.Range(0, 600).Select(i => $"OR-{i:D4}"), numbers.Order());
        var stats = await client.StatsAsync();
        Assert.Equal(0, (int)stats["totals"]!["retryAfterViolations"]!);
    }
}
