using System.ComponentModel.DataAnnotations;

namespace Empower.Dataverse.Emulator.Options;

/// <summary>All emulator settings, bound from the <c>Emulator</c> configuration section. Defaults live in <see cref="EmulatorDefaults"/>.</summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>Path of a JSON schema file with table definitions; empty means the built-in schema (account, contact, empower_salesorderline).</summary>
    public string? Schema { get; set; }

    /// <summary>Tenant segment of the token endpoint path (<c>/{tenant}/oauth2/v2.0/token</c>).</summary>
    [Required]
    public string Tenant { get; set; } = EmulatorDefaults.Tenant;

    /// <summary>Registered application users. Empty means <c>empower-app-1</c> … <c>empower-app-4</c> with the development secret.</summary>
    public List<PrincipalOptions> Principals { get; set; } = [];

    [Range(60, 86_400)]
    public int TokenLifetimeSeconds { get; set; } = EmulatorDefaults.TokenLifetimeSeconds;

    /// <summary>Value of the <c>x-ms-dop-hint</c> response header.</summary>
    [Range(1, 1024)]
    public int DopHint { get; set; } = EmulatorDefaults.DopHint;

    /// <summary>How keys, lookups by key and <c>$filter</c> compare text: English's (accent-insensitive) unless set.</summary>
    public TextCollation Collation { get; set; } = EmulatorDefaults.Collation;

    /// <summary>
    /// Web servers of the modelled org. Service protection limits apply per principal per web server; a request goes to the server its
    /// <c>ARRAffinity</c> cookie names, else to the next one in turn.
    /// </summary>
    [Range(1, 64)]
    public int WebServers { get; set; } = EmulatorDefaults.WebServers;

    /// <summary>Largest page a collection read returns when the client asks for none (<c>Prefer: odata.maxpagesize</c>).</summary>
    [Range(1, 5000)]
    public int MaxPageSize { get; set; } = EmulatorDefaults.MaxPageSize;

    [Required]
    public LimitsOptions Limits { get; set; } = new();

    [Required]
    public CostOptions Cost { get; set; } = new();

    [Required]
    public FaultOptions Faults { get; set; } = new();

    [Required]
    public StorageOptions Storage { get; set; } = new();

    [Required]
    public HttpsOptions Https { get; set; } = new();

    [Required]
    public ChangeTrackingOptions ChangeTracking { get; set; } = new();
}
