namespace Empower.Sync.Telemetry;

/// <summary>The tags Empower puts on its spans and metrics; never a row's values.</summary>
public static class TelemetryTags
{
    public const string Job = "empower.job";

    public const string Run = "empower.run";

    public const string Table = "empower.table";

    public const string Partition = "empower.partition";

    public const string Outcome = "empower.outcome";
}
