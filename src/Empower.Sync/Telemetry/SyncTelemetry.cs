using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Empower.Sync.Telemetry;

/// <summary>The one trace source and meter of Empower.Sync (name <c>Empower.Sync</c>); subscribe to both by that name.</summary>
public static class SyncTelemetry
{
    public const string Name = "Empower.Sync";

    public static ActivitySource ActivitySource { get; } = new(Name);

    public static Meter Meter { get; } = new(Name);
}
