using System.ComponentModel.DataAnnotations;

namespace Empower.Dataverse.Emulator.Options;

/// <summary>Service protection limits per principal over a sliding window; scale the window down (e.g. 10 s) to hit them quickly.</summary>
public sealed class LimitsOptions
{
    public bool Enabled { get; set; } = true;

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = EmulatorDefaults.WindowSeconds;

    [Range(1, int.MaxValue)]
    public int MaxRequests { get; set; } = EmulatorDefaults.MaxRequests;

    [Range(1, int.MaxValue)]
    public int MaxExecutionMs { get; set; } = EmulatorDefaults.MaxExecutionMs;

    [Range(1, 10_000)]
    public int MaxConcurrency { get; set; } = EmulatorDefaults.MaxConcurrency;

    /// <summary>Retry-After sent with the concurrency error, which (unlike the other two) clears as soon as a request finishes.</summary>
    [Range(1, 300)]
    public int ConcurrencyRetryAfterSeconds { get; set; } = EmulatorDefaults.ConcurrencyRetryAfterSeconds;
}
