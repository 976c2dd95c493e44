using System.Diagnostics;
using System.Diagnostics.Metrics;
using Empower.Sync.Telemetry;

namespace Empower.Sync.Dataverse.Telemetry;

/// <summary>Per-principal metrics and request spans of the Dataverse client (tag <c>empower.principal</c> = client id).</summary>
public static class DataverseTelemetry
{
    public const string PrincipalTag = "empower.principal";

    /// <summary>The entity set a request addresses (<c>contacts</c>, <c>$batch</c>, <c>EntityDefinitions</c>); never the key or query, which hold
    /// row values.</summary>
    public const string EntitySetTag = "empower.dataverse.entity_set";

    public static readonly Counter<long> Requests = SyncTelemetry.Meter.CreateCounter<long>("empower.dataverse.requests", "{request}",
        "Web API requests sent, by principal and HTTP status.");

    public static readonly Counter<long> Rows = SyncTelemetry.Meter.CreateCounter<long>("empower.dataverse.rows", "{row}",
        "Rows written, failed or deferred, by principal and outcome.");

    public const string ThrottledName = "empower.dataverse.throttled";

    public static readonly Counter<long> Throttled = SyncTelemetry.Meter.CreateCounter<long>(ThrottledName, "{response}",
        "429 responses, by principal and error code.");

    public static readonly Counter<long> Retries = SyncTelemetry.Meter.CreateCounter<long>("empower.dataverse.retries", "{retry}",
        "Requests sent again after a transient error or a throttle.");

    public static readonly Histogram<double> Latency = SyncTelemetry.Meter.CreateHistogram<double>("empower.dataverse.request.duration", "s",
        "Web API request duration.");

    public static readonly UpDownCounter<long> InFlight = SyncTelemetry.Meter.CreateUpDownCounter<long>("empower.dataverse.in_flight", "{request}",
        "Requests in flight, by principal.");

    public static string? EntitySetOf(Uri? request)
    {
        if (request is null)
        {
            return null;
        }

        string path = request.IsAbsoluteUri ? request.AbsolutePath : request.OriginalString.Split('?')[0];
        int root = path.IndexOf("/v9.2/", StringComparison.Ordinal);
        string rest = root >= 0 ? path[(root + "/v9.2/".Length)..] : path.TrimStart('/');
        int end = rest.IndexOfAny(['(', '/', '?']);
        return end < 0 ? rest : rest[..end];
    }

    public static Activity? StartRequest(string operation, string principal, int records) =>
        SyncTelemetry.ActivitySource.StartActivity($"dataverse.{operation}", ActivityKind.Client)?
            .SetTag(PrincipalTag, principal)
            .SetTag("empower.dataverse.records", records);
}
