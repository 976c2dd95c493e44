using System.Net;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Throttling;

/// <summary>429 responses over HTTP: Retry-After header, Dataverse codes, x-ms-dop-hint and the rate-limit headers; counted exactly under load.</summary>
public sealed class ServiceProtectionHttpTests
{
    [Fact]
    public async Task Throttled_request_gets_429_Retry_After_and_the_request_limit_code()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Limits:Enabled", "true"), ("Emulator:Limits:WindowSeconds", "60"), ("Emulator:Limits:MaxRequests", "3"),
                ("Emulator:Limits:MaxExecutionMs", "1200000"), ("Emulator:DopHint", "12")));
        using var client = await EmulatorClient.ConnectAsync(server);
        var first = await client.GetAsync("WhoAmI");
        await client.GetAsync("WhoAmI");
        await client.GetAsync("WhoAmI");

        var throttled = await client.GetAsync("WhoAmI");

        Assert.Equal("12", first.Header("x-ms-dop-hint"));
        Assert.Equal("2", first.Header("x-ms-ratelimit-burst-remaining-xrm-requests"));
        // Seconds, as a real org writes them: "1,200.00" (grouping separator, two decimals).
        string remaining = first.Header("x-ms-ratelimit-time-remaining-xrm-requests");
        Assert.Matches(@"^1,(19\d|200)\.\d\d$", remaining);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.InRange(int.Parse(throttled.Header("Retry-After"), System.Globalization.CultureInfo.InvariantCulture), 59, 60);
        Assert.Equal("0x80072322", await throttled.ErrorCodeAsync());
        Assert.Contains("limit of 3 over time window of 60 seconds", (string)(await throttled.JsonAsync())["error"]!["message"]!);
    }

    [Fact]
    public async Task Cost_model_charges_execution_time_and_delays_the_response()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Cost:RequestOverheadMs", "50"), ("Emulator:Cost:CreatePerRecordMs", "20")));
        using var client = await EmulatorClient.ConnectAsync(server);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var response = await client.PostAsync("accounts/Microsoft.Dynamics.CRM.CreateMultiple",
            """{"Targets":[{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"a"},{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"b"}]}""");
        var stats = await client.StatsAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(started.ElapsedMilliseconds >= 85, $"the response took {started.ElapsedMilliseconds} ms, the model charges 90 ms");
        Assert.Equal(90.0, (double)stats["principals"]!["empower-app-1"]!["executionMsCharged"]!);
    }

    [Fact]
    public async Task Two_hundred_parallel_requests_from_four_principals_are_counted_exactly_and_none_is_lost()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Limits:Enabled", "true"), ("Emulator:Limits:WindowSeconds", "300"), ("Emulator:Limits:MaxRequests", "40"),
            ("Emulator:Limits:MaxConcurrency", "1000"), ("Emulator:Cost:CreatePerRecordMs", "5")));
        var clients = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => EmulatorClient.ConnectAsync(server, $"empower-app-{i}")));

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            clients[i % 4].PostAsync("accounts", $$"""{"name":"parallel {{i}}","accountnumber":"PAR-{{i}}"}""")));
        var stats = await clients[0].StatsAsync();

        Assert.Equal(160, responses.Count(r => r.StatusCode == HttpStatusCode.NoContent));
        Assert.Equal(40, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(160, (int)stats["tables"]!["account"]!["records"]!);
        Assert.Equal(160, (int)stats["tables"]!["account"]!["created"]!);
        for (int i = 1; i <= 4; i++)
        {
            var principal = stats["principals"]![$"empower-app-{i}"]!;
            Assert.Equal(40, (int)principal["requests"]!);
            Assert.Equal(10, (int)principal["throttled"]!);
        }

        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task Concurrency_limit_answers_429_with_the_concurrency_code()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Limits:Enabled", "true"), ("Emulator:Limits:MaxConcurrency", "2"), ("Emulator:Cost:RequestOverheadMs", "400")));
        using var client = await EmulatorClient.ConnectAsync(server);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.GetAsync("WhoAmI")));
        var throttled = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();

        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(2, throttled.Count);
        Assert.Equal("0x80072326", await throttled[0].ErrorCodeAsync());
    }
}
