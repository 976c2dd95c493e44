namespace Empower.Dataverse.Emulator.Options;

/// <summary>The one place where the emulator's defaults are stated (documented in docs/emulator.md).</summary>
public static class EmulatorDefaults
{
    public const string Tenant = "emulator";
    public const string DevelopmentSecret = "emulator-secret";
    public const int DefaultPrincipalCount = 4;
    public const string DefaultPrincipalPrefix = "empower-app-";
    public const int TokenLifetimeSeconds = 3600;
    public const int DopHint = 8;

    /// <summary>One web server: limits per principal, as in the emulator before web servers were modelled.</summary>
    public const int WebServers = 1;

    /// <summary>An English (1033) org's collation, <c>_CI_AI</c>.</summary>
    public const TextCollation Collation = TextCollation.AccentInsensitive;
    public const int MaxPageSize = 5000;

    /// <summary>Dataverse's default <c>ExpireChangeTrackingInDays</c>: 7 days.</summary>
    public const int ChangeTrackingRetentionSeconds = 7 * 86_400;
    public const int MaxBatchRequests = 1000;

    // Service protection limits per user per web server, as Microsoft documents them (5-minute sliding window).
    public const int WindowSeconds = 300;
    public const int MaxRequests = 6000;
    public const int MaxExecutionMs = 1_200_000;
    public const int MaxConcurrency = 52;
    public const int ConcurrencyRetryAfterSeconds = 1;

    // Server cost model: what a modest production org spends per request and per record.
    public const double RequestOverheadMs = 10;
    public const double CreatePerRecordMs = 4;
    public const double UpdatePerRecordMs = 4;
    public const double DeletePerRecordMs = 3;
    public const double ReadPerRecordMs = 0.05;

    public const int SlowResponseMs = 2000;
    public const int HttpPort = 5099;
}
