namespace Empower.Sync.Dataverse.Configuration;

/// <summary>The client's defaults, in one place (see docs/connection-management.md and docs/rate-limits.md).</summary>
internal static class DataverseDefaults
{
    /// <summary>An English (1033) org's collation, <c>_CI_AI</c>.</summary>
    public const KeyCollation KeyCollation = Configuration.KeyCollation.AccentInsensitive;

    /// <summary>Records per bulk request on standard tables (Microsoft: start near 1,000 and adapt).</summary>
    public const int BatchSize = 1000;

    /// <summary>The most requests Dataverse takes in one <c>$batch</c>.</summary>
    public const int MaxBatchSize = 1000;

    /// <summary>Records per bulk request on elastic tables.</summary>
    public const int ElasticBatchSize = 100;

    public const int MinBatchSize = 10;

    /// <summary>Concurrent requests per principal before the server's <c>x-ms-dop-hint</c> is known.</summary>
    public const int InitialConcurrency = 2;

    /// <summary>The service protection concurrency limit per user; never exceeded.</summary>
    public const int MaxConcurrencyPerPrincipal = 52;

    /// <summary>Attempts per batch within one activity (layer 1) before the batch is handed back as deferred or failed.</summary>
    public const int MaxAttempts = 8;

    public const int RequestTimeoutSeconds = 120;

    /// <summary>Longest wait for a throttled principal inside an activity; longer waits become deferrals (layer 2).</summary>
    public const int MaxThrottleWaitSeconds = 30;

    /// <summary>How long the last look at which given-up inserts landed may keep asking a throttled Dataverse.</summary>
    public const int LastLookSeconds = 120;

    /// <summary>A request slower than this shrinks the batch size.</summary>
    public const int SlowRequestSeconds = 30;

    public const int ConnectionLifetimeMinutes = 5;

    /// <summary>Tokens are renewed this long before they expire.</summary>
    public const int TokenRefreshMarginMinutes = 5;
}
