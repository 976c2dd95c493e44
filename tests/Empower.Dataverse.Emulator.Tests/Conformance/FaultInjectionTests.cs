using System.Net;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>Each injected fault behaves as its real counterpart does on the wire, and is counted.</summary>
public sealed class FaultInjectionTests
{
    [Theory]
    [InlineData("ServiceUnavailableRate", 503)]
    [InlineData("TransientErrorRate", 500)]
    public async Task Error_faults_answer_before_any_work_is_done(string setting, int status)
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(($"Emulator:Faults:{setting}", "1")));
        using var client = await EmulatorClient.ConnectAsync(server);

        var response = await client.PostAsync("accounts", """{"name":"never"}""");
        var stats = await client.StatsAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(0, (int)stats["tables"]!["account"]!["records"]!);
    }

    [Fact]
    public async Task Slow_response_holds_the_answer_back_without_charging_it()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Faults:SlowResponseRate", "1"),
            ("Emulator:Faults:SlowResponseMs", "300")));
        using var client = await EmulatorClient.ConnectAsync(server);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var response = await client.GetAsync("WhoAmI");
        var stats = await client.StatsAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(started.ElapsedMilliseconds >= 290, $"answered after {started.ElapsedMilliseconds} ms");
        Assert.Equal(0.0, (double)stats["principals"]!["empower-app-1"]!["executionMsCharged"]!);
        Assert.Equal(1, (int)stats["faults"]!["SlowResponse"]!);
    }

    [Fact]
    public async Task Connection_reset_loses_the_request_before_any_work_is_done()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Faults:ConnectionResetRate", "1")));
        using var client = await EmulatorClient.ConnectAsync(server);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("accounts", """{"name":"never"}"""));
        var stats = await client.StatsAsync();

        Assert.Equal(0, (int)stats["tables"]!["account"]!["records"]!);
        Assert.Equal(1, (int)stats["faults"]!["ConnectionReset"]!);
    }

    [Fact]
    public async Task Drop_after_commit_loses_the_response_but_keeps_the_record()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Faults:DropResponseAfterCommitRate", "1")));
        using var client = await EmulatorClient.ConnectAsync(server);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("accounts", """{"name":"committed","accountnumber":"DROP-1"}"""));
        var stats = await client.StatsAsync();

        Assert.Equal(1, (int)stats["tables"]!["account"]!["records"]!);
        Assert.Equal(1, (int)stats["faults"]!["DropResponseAfterCommit"]!);
    }

    [Fact]
    public async Task Seeded_faults_repeat_exactly_and_reset_restores_a_clean_emulator()
    {
        var settings = EmulatorSettings.Fast(("Emulator:Faults:ServiceUnavailableRate", "0.3"), ("Emulator:Faults:Seed", "42"));
        await using var server = await EmulatorServer.StartAsync(settings);
        using var client = await EmulatorClient.ConnectAsync(server);

        async Task<string> Pattern() => string.Concat(await Task.WhenAll(Enumerable.Range(0, 1).Select(async _ =>
        {
            var codes = new List<int>();
            for (int i = 0; i < 30; i++)
            {
                codes.Add((int)(await client.GetAsync("WhoAmI")).StatusCode);
            }

            return string.Join(",", codes);
        })));

        string first = await Pattern();
        await client.PostAsync("accounts", """{"name":"before reset"}""");
        using (var http = new HttpClient { BaseAddress = server.BaseAddress })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("_emulator/reset", null)).StatusCode);
        }

        var afterReset = await client.StatsAsync();
        string second = await Pattern();

        Assert.Contains("503", first);
        Assert.Equal(first, second);
        Assert.Equal(0, (int)afterReset["tables"]!["account"]!["records"]!);
        Assert.Equal(0, (int)afterReset["totals"]!["requests"]!);
    }
}
