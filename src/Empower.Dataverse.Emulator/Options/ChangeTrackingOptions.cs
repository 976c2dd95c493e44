using System.ComponentModel.DataAnnotations;

namespace Empower.Dataverse.Emulator.Options;

/// <summary>Change tracking of the tables whose schema says <c>changeTracking: true</c>.</summary>
public sealed class ChangeTrackingOptions
{
    /// <summary>
    /// How long a delta token stays usable: Dataverse keeps changes for the organization's
    /// <c>ExpireChangeTrackingInDays</c> (7 days by default); an older token is refused and the client must read again in full.
    /// </summary>
    [Range(1, 365 * 86_400)]
    public int RetentionSeconds { get; set; } = EmulatorDefaults.ChangeTrackingRetentionSeconds;
}
