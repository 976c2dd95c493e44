using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Dataverse;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Dataverse.Writing;

namespace Empower.Bench.Dataverse;

/// <summary>
/// Upserts accounts by alternate key into the emulator under <see cref="BenchProfile"/> with Empower's client and with
/// <see cref="NaiveClient"/>, with 1 and 4 principals, each on a fresh emulator. Throughput is measured in steady state
/// from the emulator's own record counts and compared with the ceiling the profile allows. Under a sliding-window
/// limit a client that honours Retry-After works in cycles (send until throttled, rest until the window frees), so
/// Empower's client is measured over whole cycles: from one throttle of its first principal to a later one, after the
/// first window (whose empty budget allows a burst above the ceiling) has passed. With <c>--web-servers N</c> the emulator models N
/// web servers: Empower's client sends no affinity cookie, so its ceiling is N times a server's; the naive client keeps the cookie
/// (HttpClient's default), so one server's ceiling is all it can reach.
/// </summary>
public static class DataverseClientBenchmark
{
    private const string Secret = "emulator-secret";

    public static async Task<int> RunAsync(string[] args)
    {
        int measureSeconds = Option(args, "--seconds", 30);
        int webServers = Option(args, "--web-servers", 1);
        int warmupSeconds = BenchProfile.WindowSeconds + 5;
        Console.WriteLine($"Dataverse client benchmark: window {BenchProfile.WindowSeconds} s, {BenchProfile.MaxRequests} requests and " +
            $"{BenchProfile.MaxExecutionMs:N0} ms execution per window per principal, concurrency {BenchProfile.MaxConcurrency}; cost " +
            $"{BenchProfile.OverheadMs} ms + {BenchProfile.PerRecordMs} ms per record; {BenchProfile.RecordsPerRequest} records per request; " +
            $"{webServers} web server(s).");
        Console.WriteLine($"Ceiling per principal: {BenchProfile.CeilingPerPrincipal():N0} records/s. Warm-up {warmupSeconds} s, then " +
            $"{measureSeconds} s measured.");
        Console.WriteLine($"{"client",-8} {"principals",10} {"ceiling/s",10} {"achieved/s",11} {"of ceiling",11} {"429s",6} {"RA violations",14}");
        foreach (int principals in new[] { 1, 4 })
        {
            foreach (var client in new[] { "empower", "naive" })
            {
                var (rate, throttled, violations) = await MeasureAsync(client, principals, webServers, warmupSeconds, measureSeconds);
                double ceiling = BenchProfile.CeilingPerPrincipal() * principals * (client == "empower" ? webServers : 1);
                Console.WriteLine($"{client,-8} {principals,10} {ceiling,10:N0} {rate,11:N0} {rate / ceiling,11:P0} {throttled,6} {violations,14}");
            }
        }

        Console.WriteLine("Goal: Empower's client at >= 90% of the ceiling with 1 and 4 principals, zero Retry-After violations.");
        return 0;
    }

    private static async Task<(double Rate, int Throttled, int Violations)> MeasureAsync(string client, int principals, int webServers, int warmupSeconds,
        int measureSeconds)
    {
        var settings = BenchProfile.Settings();
        settings["Emulator:WebServers"] = webServers.ToString(CultureInfo.InvariantCulture);
        await using var server = await EmulatorServer.StartAsync(settings);
        using var stats = new HttpClient { BaseAddress = server.BaseAddress };
        using var stop = new CancellationTokenSource();
        int rowsNeeded = (int)(BenchProfile.CeilingPerPrincipal() * principals * webServers * (warmupSeconds + measureSeconds) * 2);
        DataverseClient? empower = client == "empower" ? CreateEmpower(server, principals) : null;
        Task run = empower is not null ? RunEmpowerAsync(empower, rowsNeeded, stop.Token) : RunNaiveAsync(server, principals, stop.Token);

        await Task.Delay(TimeSpan.FromSeconds(warmupSeconds));
        if (empower is not null)
        {
            await NextThrottleAsync(empower);
        }

        long before = await WrittenAsync(stats);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(measureSeconds));
        if (empower is not null)
        {
            await NextThrottleAsync(empower);
        }

        long after = await WrittenAsync(stats);
        double rate = (after - before) / clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
        }

        empower?.Dispose();
        var totals = (await stats.GetFromJsonAsync<JsonObject>("_emulator/stats"))!["totals"]!;
        return (rate, (int)totals["throttled"]!, (int)totals["retryAfterViolations"]!);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>Waits until the first principal is throttled anew: the start of its next rest.</summary>
    private static async Task NextThrottleAsync(DataverseClient client)
    {
        var principal = client.Pool.Principals[0];
        var current = principal.ThrottledUntil;
        while (principal.ThrottledUntil == current)
        {
            await Task.Delay(50);
        }
    }

    private static DataverseClient CreateEmpower(EmulatorServer server, int principals)
    {
        var options = new DataverseOptions
        {
            Url = server.BaseAddress.AbsoluteUri,
            TenantId = "emulator",
            AuthorityHost = server.HttpsAddress,
            DevelopmentCertificateThumbprint = server.CertificateThumbprint,
            Principals = Enumerable.Range(1, principals).Select(i => new PrincipalOptions { ClientId = $"empower-app-{i}", ClientSecret = Secret }).ToList(),
            BatchSize = BenchProfile.RecordsPerRequest,
            MaxThrottleWait = TimeSpan.FromMinutes(5),
        };
        return DataverseClient.Create(options);
    }

    private static async Task RunEmpowerAsync(DataverseClient client, int rows, CancellationToken cancellationToken)
    {
        var table = await client.Metadata.GetAsync("account", cancellationToken);
        var records = Enumerable.Range(0, rows).Select(i => new RecordToWrite(i, Row(i))).ToList();
        await client.Writer.WriteAsync(new WriteRequest(table, WriteMode.Upsert, ["accountnumber"]), records, cancellationToken);
    }

    private static Task RunNaiveAsync(EmulatorServer server, int principals, CancellationToken cancellationToken) =>
        new NaiveClient(server.BaseAddress, Enumerable.Range(1, principals).Select(i => $"empower-app-{i}").ToList(), Secret, workersPerPrincipal: 8)
            .RunAsync(Row, cancellationToken);

    private static JsonObject Row(int i) => new() { ["accountnumber"] = $"B-{i:D8}", ["name"] = $"Account {i}", ["numberofemployees"] = i % 1000 };

    private static async Task<long> WrittenAsync(HttpClient stats)
    {
        var account = (await stats.GetFromJsonAsync<JsonObject>("_emulator/stats"))!["tables"]!["account"]!;
        return (long)account["created"]! + (long)account["updated"]!;
    }
}
