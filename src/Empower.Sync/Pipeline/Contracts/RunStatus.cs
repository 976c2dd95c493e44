namespace Empower.Sync.Pipeline.Contracts;

/// <summary>How a run ended, as reports, summaries and the <c>empower.sync.runs</c> metric spell it.</summary>
public static class RunStatus
{
    /// <summary>Every row read was written, skipped as unchanged, superseded or a handled delete.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The run finished; some rows failed and are in the failed-rows table.</summary>
    public const string RowsFailed = "rows_failed";

    /// <summary>Stopped on request (SIGINT/SIGTERM): what was confirmed is recorded, the rest was not sent.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>A stage failed as a whole; what was confirmed before is recorded.</summary>
    public const string Failed = "failed";
}
