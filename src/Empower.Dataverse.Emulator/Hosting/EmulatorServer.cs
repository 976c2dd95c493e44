using Empower.Dataverse.Emulator.Certificates;
namespace Empower.Dataverse.Emulator.Hosting;

/// <summary>
/// The emulator hosted in the calling process on free loopback ports — what tests, benchmarks and <c>empower demo</c> use.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorServer(WebApplication app, Uri http, Uri? https)
    {
        _app = app;
        BaseAddress = http;
        HttpsAddress = https;
    }

    /// <summary>Plain-HTTP root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>HTTPS root for the token endpoint (Azure.Identity's authority host).</summary>
    public Uri? HttpsAddress { get; }

    public Uri ServiceRoot => new(BaseAddress, Endpoints.WebApiEndpoint.ServicePath);

    public string? CertificateThumbprint => Services.GetRequiredService<EmulatorCertificate>().Thumbprint;

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Configuration (<c>Empower:Dataverse:*</c>) that points Empower's client at this emulator: its URL, the HTTPS token
    /// endpoint pinned by thumbprint, and the first <paramref name="principals"/> built-in application users.
    /// </summary>
    public Dictionary<string, string?> ClientSettings(int principals)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Empower:Dataverse:Url"] = BaseAddress.AbsoluteUri,
            ["Empower:Dataverse:TenantId"] = Options.EmulatorDefaults.Tenant,
            ["Empower:Dataverse:AuthorityHost"] = HttpsAddress?.AbsoluteUri,
            ["Empower:Dataverse:DevelopmentCertificateThumbprint"] = CertificateThumbprint,
        };
        for (int i = 0; i < principals; i++)
        {
            settings[$"Empower:Dataverse:Principals:{i}:ClientId"] = $"{Options.EmulatorDefaults.DefaultPrincipalPrefix}{i + 1}";
            settings[$"Empower:Dataverse:Principals:{i}:ClientSecret"] = Options.EmulatorDefaults.DevelopmentSecret;
        }

        return settings;
    }

    /// <param name="settings">Configuration keys such as <c>Emulator:Limits:WindowSeconds</c>.</param>
    public static async Task<EmulatorServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = EmulatorApp.Build([], all);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var (http, https) = EmulatorApp.BoundAddresses(app);
        return new EmulatorServer(app, http, https);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
