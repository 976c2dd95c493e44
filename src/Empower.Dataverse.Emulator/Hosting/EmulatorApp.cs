using System.Net;
using Empower.Dataverse.Emulator.Auth;
using Empower.Dataverse.Emulator.Batch;
using Empower.Dataverse.Emulator.Certificates;
using Empower.Dataverse.Emulator.Dispatch;
using Empower.Dataverse.Emulator.Endpoints;
using Empower.Dataverse.Emulator.Faults;
using Empower.Dataverse.Emulator.Options;
using Empower.Dataverse.Emulator.Schema;
using Empower.Dataverse.Emulator.Stats;
using Empower.Dataverse.Emulator.Store;
using Empower.Dataverse.Emulator.Throttling;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Empower.Dataverse.Emulator.Hosting;

/// <summary>Builds the emulator web application from ordinary ASP.NET Core configuration (appsettings, environment, command line).</summary>
public static class EmulatorApp
{
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Kestrel warns that explicit listeners override the urls setting: that is by design here.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error);
        builder.Services.AddOptions<EmulatorOptions>()
            .Bind(builder.Configuration.GetSection(EmulatorOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EmulatorOptions>, EmulatorOptionsValidator>();

        UnknownSettings.Check(builder.Configuration);
        var options = builder.Configuration.GetSection(EmulatorOptions.SectionName).Get<EmulatorOptions>() ?? new EmulatorOptions();
        // Loaded now, so a bad schema file stops start-up with the file, table and attribute named.
        var schema = string.IsNullOrWhiteSpace(options.Schema) ? SchemaLoader.LoadDefault() : SchemaLoader.LoadFile(options.Schema);
        var certificate = new EmulatorCertificate(options.Https.Enabled ? DevelopmentCertificate.LoadOrCreate(options.Https) : null);
        ConfigureListeners(builder, options, certificate);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(certificate);
        builder.Services.AddSingleton(schema);
        builder.Services.AddSingleton<EmulatorStats>();
        builder.Services.AddSingleton(sp => new RecordStore(sp.GetRequiredService<EmulatorSchema>(), options.Storage, options.Collation,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<EmulatorStats>().Committed));
        builder.Services.AddSingleton<ServiceProtection>();
        builder.Services.AddSingleton<WebServerRouter>();
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddSingleton(sp => new WebApiDispatcher(
            sp.GetRequiredService<EmulatorSchema>(), sp.GetRequiredService<RecordStore>(), sp.GetRequiredService<IOptions<EmulatorOptions>>().Value,
                sp.GetRequiredService<EmulatorStats>(),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<BatchProcessor>();
        builder.Services.AddSingleton<WebApiEndpoint>();
        builder.Services.AddSingleton<TokenEndpoint>();
        builder.Services.AddSingleton<EmulatorControlEndpoints>();

        var app = builder.Build();
        app.MapPost("/{tenant}/oauth2/v2.0/token", (HttpContext context, string tenant, TokenEndpoint endpoint) => endpoint.HandleAsync(context, tenant));
        app.MapGet("/_emulator/stats", (EmulatorControlEndpoints endpoints) => endpoints.Stats());
        app.MapPost("/_emulator/reset", (EmulatorControlEndpoints endpoints) => endpoints.Reset());
        app.Map(WebApiEndpoint.ServicePath + "{**path}", (HttpContext context, WebApiEndpoint endpoint) => endpoint.HandleAsync(context));
        return app;
    }

    /// <summary>The addresses Kestrel actually bound (port 0 resolves to a free port).</summary>
    public static (Uri Http, Uri? Https) BoundAddresses(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal))).ToList();
        return (addresses.First(a => a.Scheme == "http"), addresses.FirstOrDefault(a => a.Scheme == "https"));
    }

    private static void ConfigureListeners(WebApplicationBuilder builder, EmulatorOptions options, EmulatorCertificate certificate)
    {
        string urls = builder.Configuration["urls"] is { Length: > 0 } configured ? configured : $"http://127.0.0.1:{EmulatorDefaults.HttpPort}";
        var http = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseUrl).ToList();
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var (address, port) in http)
            {
                kestrel.Listen(address, port);
            }

            if (certificate.Certificate is { } cert)
            {
                int firstPort = http[0].Port;
                int httpsPort = options.Https.Port ?? (firstPort == 0 ? 0 : firstPort + 1);
                kestrel.Listen(http[0].Address, httpsPort, listen => listen.UseHttps(cert));
            }
        });
    }

    private static (IPAddress Address, int Port) ParseUrl(string url)
    {
        var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Scheme != "http")
        {
            throw new OptionsValidationException("urls", typeof(EmulatorOptions),
                [$"'{url}' in the urls setting is not an http:// URL such as http://127.0.0.1:5099 (HTTPS is configured with Emulator:Https)."]);
        }

        var address = uri.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(uri.Host);
        return (address, uri.Port);
    }
}
