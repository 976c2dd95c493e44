using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Certificates;
using Empower.Dataverse.Emulator.Faults;
using Empower.Dataverse.Emulator.Options;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Schema;
using Empower.Dataverse.Emulator.Stats;
using Empower.Dataverse.Emulator.Store;
using Empower.Dataverse.Emulator.Throttling;
using Microsoft.Extensions.Options;

namespace Empower.Dataverse.Emulator.Endpoints;

/// <summary><c>GET /_emulator/stats</c> and <c>POST /_emulator/reset</c>: what tests and benchmarks read to judge a client.</summary>
public sealed class EmulatorControlEndpoints(
    EmulatorSchema schema,
    RecordStore store,
    ServiceProtection protection,
    FaultInjector faults,
    EmulatorStats stats,
    EmulatorCertificate certificate,
    IOptions<EmulatorOptions> options)
{
    public IResult Stats()
    {
        var principals = protection.Snapshot();
        var (tables, duplicates, statuses, unauthorized, updatedAttributes) = stats.Snapshot();
        var json = new JsonObject
        {
            ["certificateThumbprint"] = certificate.Thumbprint,
            ["totals"] = new JsonObject
            {
                ["requests"] = principals.Values.Sum(p => p.Requests),
                ["throttled"] = principals.Values.Sum(p => p.Throttled),
                ["retryAfterViolations"] = principals.Values.Sum(p => p.RetryAfterViolations),
                ["unauthorized"] = unauthorized,
                ["duplicateKeyRejections"] = duplicates.Values.Sum(),
            },
            ["principals"] = new JsonObject(principals.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonObject
            {
                ["requests"] = p.Value.Requests,
                ["throttled"] = p.Value.Throttled,
                ["throttledByCode"] = new JsonObject(p.Value.ThrottledByCode.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
                ["retryAfterViolations"] = p.Value.RetryAfterViolations,
                ["peakConcurrency"] = p.Value.PeakConcurrency,
                ["inFlight"] = p.Value.InFlight,
                ["executionMsCharged"] = p.Value.ExecutionMsCharged,
                ["requestsByWebServer"] = new JsonArray([.. Enumerable.Range(0, options.Value.WebServers)
                    .Select(s => (JsonNode)p.Value.RequestsByWebServer.GetValueOrDefault(s))]),
            }))),
            ["tables"] = new JsonObject(schema.Tables.Select(t =>
            {
                var counts = tables.GetValueOrDefault(t.LogicalName);
                return KeyValuePair.Create(t.LogicalName, (JsonNode?)new JsonObject
                {
                    ["entitySet"] = t.EntitySetName,
                    ["records"] = store.Count(t),
                    ["created"] = counts.Created,
                    ["updated"] = counts.Updated,
                    ["deleted"] = counts.Deleted,
                    ["duplicateKeyRejections"] = duplicates.GetValueOrDefault(t.EntitySetName),
                    ["updatedAttributes"] = new JsonObject((updatedAttributes.GetValueOrDefault(t.LogicalName) ?? []).OrderBy(a => a.Key,
                        StringComparer.Ordinal)
                        .Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
                });
            })),
            ["faults"] = new JsonObject(faults.Snapshot().Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))),
            ["responses"] = new JsonObject(statuses.OrderBy(s => s.Key)
                .Select(s => KeyValuePair.Create(s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)s.Value))),
            ["limits"] = JsonSerializerNode(options.Value.Limits),
            ["cost"] = JsonSerializerNode(options.Value.Cost),
            ["dopHint"] = options.Value.DopHint,
            ["webServers"] = options.Value.WebServers,
        };
        return Results.Json(json);
    }

    public IResult Reset()
    {
        store.Clear();
        stats.Reset();
        protection.Reset();
        faults.Reset();
        return Results.NoContent();
    }

    private static JsonNode? JsonSerializerNode<T>(T value) => System.Text.Json.JsonSerializer.SerializeToNode(value, EmulatorJson.Options);
}
