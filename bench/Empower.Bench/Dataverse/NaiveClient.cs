using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Empower.Bench.Dataverse;

/// <summary>
/// What a quick hand-written loader does: a fixed number of workers per principal sending UpsertMultiple, and on any
/// error an exponential back-off that ignores Retry-After. The comparison point for Empower's client.
/// </summary>
public sealed class NaiveClient(Uri baseAddress, IReadOnlyList<string> clientIds, string secret, int workersPerPrincipal)
{
    public async Task RunAsync(Func<int, JsonObject> row, CancellationToken cancellationToken)
    {
        int next = 0;
        var workers = new List<Task>();
        foreach (var clientId in clientIds)
        {
            var http = new HttpClient { BaseAddress = baseAddress };
            var token = await http.PostAsync("emulator/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
                    ["scope"] = new Uri(baseAddress, "/.default").AbsoluteUri,
            }), cancellationToken);
            var body = await token.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)body!["access_token"]!);
            for (int w = 0; w < workersPerPrincipal; w++)
            {
                workers.Add(Task.Run(() => WorkAsync(http, () => Interlocked.Add(ref next, BenchProfile.RecordsPerRequest) - BenchProfile.RecordsPerRequest,
                    row, cancellationToken), cancellationToken));
            }
        }

        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task WorkAsync(HttpClient http, Func<int> take, Func<int, JsonObject> row, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            int start = take();
            var targets = new JsonArray();
            for (int i = start; i < start + BenchProfile.RecordsPerRequest; i++)
            {
                var target = row(i);
                target["@odata.id"] = $"accounts(accountnumber='{(string)target["accountnumber"]!}')";
                target.Remove("accountnumber");
                target["@odata.type"] = "Microsoft.Dynamics.CRM.account";
                targets.Add(target);
            }

            string json = new JsonObject { ["Targets"] = targets }.ToJsonString();
            for (int attempt = 0; !cancellationToken.IsCancellationRequested; attempt++)
            {
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync("api/data/v9.2/accounts/Microsoft.Dynamics.CRM.UpsertMultiple", content, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(3200, 100 * Math.Pow(2, attempt))), cancellationToken);
            }
        }
    }
}
