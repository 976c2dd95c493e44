using System.ComponentModel.DataAnnotations;

namespace Empower.Dataverse.Emulator.Options;

/// <summary>Seeded fault injection on Web API calls (not on the token or <c>/_emulator</c> endpoints). Rates are probabilities per request.</summary>
public sealed class FaultOptions
{
    public int Seed { get; set; } = 1;

    /// <summary>503 Service Unavailable before any work is done.</summary>
    [Range(0.0, 1.0)]
    public double ServiceUnavailableRate { get; set; }

    /// <summary>500 with a transient SQL-timeout error before any work is done.</summary>
    [Range(0.0, 1.0)]
    public double TransientErrorRate { get; set; }

    /// <summary>The connection is reset before any work is done.</summary>
    [Range(0.0, 1.0)]
    public double ConnectionResetRate { get; set; }

    /// <summary>The response is held back for <see cref="SlowResponseMs"/> (not charged to execution time).</summary>
    [Range(0.0, 1.0)]
    public double SlowResponseRate { get; set; }

    [Range(0, 600_000)]
    public int SlowResponseMs { get; set; } = EmulatorDefaults.SlowResponseMs;

    /// <summary>The work is committed, then the connection is reset: the worst case for duplicate creates.</summary>
    [Range(0.0, 1.0)]
    public double DropResponseAfterCommitRate { get; set; }

    /// <summary>Each fault with its rate, in the order the injector draws them; the one list both the injector and validation use.</summary>
    public IReadOnlyList<(FaultKind Kind, double Rate)> Rates() =>
    [
        (FaultKind.ServiceUnavailable, ServiceUnavailableRate),
        (FaultKind.TransientError, TransientErrorRate),
        (FaultKind.ConnectionReset, ConnectionResetRate),
        (FaultKind.SlowResponse, SlowResponseRate),
        (FaultKind.DropResponseAfterCommit, DropResponseAfterCommitRate),
    ];
}
