using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Throttling;

/// <summary>
/// Several web servers behind the affinity cookie: limits apply per web server, so a client that keeps <c>ARRAffinity</c> reaches
/// one server and its ceiling, and one that drops it is spread over all of them
/// (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits, "Remove the affinity cookie").
/// </summary>
public sealed class WebServerTests
{
    private const int Servers = 3;
    private const int MaxRequests = 4;

    [Fact]
    public async Task A_client_that_keeps_the_affinity_cookie_is_held_to_one_server_and_one_that_drops_it_gets_every_server()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:WebServers", $"{Servers}"),
            ("Emulator:Limits:Enabled", "true"), ("Emulator:Limits:MaxRequests", $"{MaxRequests}")));
        using var keeping = await EmulatorClient.ConnectAsync(server, "empower-app-1");
        using var dropping = await WithoutCookiesAsync(server, "empower-app-2");

        var kept = new List<HttpStatusCode>();
        var dropped = new List<HttpStatusCode>();
        for (int i = 0; i < Servers * MaxRequests; i++)
        {
            kept.Add((await keeping.GetAsync("WhoAmI")).StatusCode);
            dropped.Add((await dropping.GetAsync("api/data/v9.2/WhoAmI")).StatusCode);
        }

        var afterAll = await dropping.GetAsync("api/data/v9.2/WhoAmI");
        var stats = await keeping.StatsAsync();

        Assert.Equal(MaxRequests, kept.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(Servers * MaxRequests, dropped.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, afterAll.StatusCode);
        Assert.StartsWith("ARRAffinity=", afterAll.Headers.GetValues("Set-Cookie").Single());
        Assert.Equal([MaxRequests, MaxRequests, MaxRequests],
            stats["principals"]!["empower-app-2"]!["requestsByWebServer"]!.AsArray().Select(n => (int)n!));
        Assert.Equal(Servers, (int)stats["webServers"]!);
    }

    private static async Task<HttpClient> WithoutCookiesAsync(EmulatorServer server, string clientId)
    {
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = server.BaseAddress };
        var token = await (await EmulatorClient.RequestTokenAsync(http, clientId, "emulator-secret")).Content.ReadFromJsonAsync<JsonObject>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)token!["access_token"]!);
        return http;
    }
}
