using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;

namespace Empower.Testing.Emulator;

/// <summary>A thin HTTP client for conformance tests: gets a token from the emulator and sends raw Web API requests.</summary>
public sealed class EmulatorClient : IDisposable
{
    private readonly HttpClient _http;

    private EmulatorClient(HttpClient http) => _http = http;

    public Uri ServiceRoot => new(_http.BaseAddress!, "api/data/v9.2/");

    public static async Task<EmulatorClient> ConnectAsync(EmulatorServer server, string clientId = "empower-app-1", string secret = "emulator-secret")
    {
        var http = new HttpClient { BaseAddress = server.BaseAddress };
        var token = await RequestTokenAsync(http, clientId, secret);
        var body = await token.Content.ReadFromJsonAsync<JsonObject>();
        if (!token.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Token request failed: {body}");
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)body!["access_token"]!);
        return new EmulatorClient(http);
    }

    public static Task<HttpResponseMessage> RequestTokenAsync(HttpClient http, string clientId, string secret, string grant = "client_credentials",
        string scope = "https://org.crm.dynamics.com/.default", string tenant = "emulator") =>
        http.PostAsync($"{tenant}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = grant,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = scope,
        }));

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, new Uri(ServiceRoot, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return _http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, params (string, string)[] headers) => SendAsync(HttpMethod.Get, path, null, headers);

    public Task<HttpResponseMessage> PostAsync(string path, string json, params (string, string)[] headers) => SendAsync(HttpMethod.Post, path, json, headers);

    public Task<HttpResponseMessage> PatchAsync(string path, string json, params (string, string)[] headers)
        => SendAsync(HttpMethod.Patch, path, json, headers);

    public Task<HttpResponseMessage> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public Task<HttpResponseMessage> BatchAsync(string boundary, string body, params (string, string)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ServiceRoot, "$batch"))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={boundary}");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return _http.SendAsync(request);
    }

    public async Task<JsonObject> StatsAsync() =>
        (await _http.GetFromJsonAsync<JsonObject>(new Uri(_http.BaseAddress!, "_emulator/stats")))!;

    public void Dispose() => _http.Dispose();
}
