using System.ComponentModel;
using Empower.Cli.Runner;
using Empower.Dataverse.Emulator.Certificates;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Dataverse.Emulator.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spectre.Console.Cli;
using Spectre.Console;

namespace Empower.Cli.Commands;

/// <summary><c>empower emulator</c>: the Dataverse emulator in the foreground until Ctrl+C.</summary>
public sealed class EmulatorCommand : AsyncCommand<EmulatorCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--port <PORT>")]
        [Description("HTTP port of the Web API (default 5099). The HTTPS token endpoint listens on the next port unless --https-port says otherwise.")]
        [DefaultValue(EmulatorDefaults.HttpPort)]
        public int Port { get; init; } = EmulatorDefaults.HttpPort;

        [CommandOption("--https-port <PORT>")]
        [Description("HTTPS port of the token endpoint (0 = any free port).")]
        public int? HttpsPort { get; init; }

        [CommandOption("--schema <FILE>")]
        [Description("JSON file of table definitions (default: the built-in account, contact and empower_salesorderline tables).")]
        public string? Schema { get; init; }

        [CommandOption("--write-settings <FILE>")]
        [Description("Write a settings file for empower sync/validate against this emulator (URL, token endpoint, certificate thumbprint, four principals).")]
        public string? WriteSettings { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Any emulator setting, e.g. --set Emulator:Limits:WindowSeconds=10 (repeatable; see docs/emulator.md).")]
        public string[] Set { get; init; } = [];

        public override ValidationResult Validate()
        {
            if (Port is < 0 or > 65535)
            {
                return ValidationResult.Error($"--port {Port} is not a TCP port (0-65535).");
            }

            var bad = Set.FirstOrDefault(s => !s.Contains('=', StringComparison.Ordinal));
            return bad is null ? ValidationResult.Success() : ValidationResult.Error($"--set '{bad}' must be KEY=VALUE, e.g. Emulator:DopHint=16.");
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["urls"] = $"http://127.0.0.1:{settings.Port}",
        };
        if (settings.HttpsPort is { } httpsPort)
        {
            overrides["Emulator:Https:Port"] = httpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (settings.Schema is not null)
        {
            overrides["Emulator:Schema"] = settings.Schema;
        }

        foreach (var pair in settings.Set)
        {
            overrides[pair[..pair.IndexOf('=', StringComparison.Ordinal)]] = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }

        // One certificate per user, created once: settings files that pin its thumbprint stay valid across restarts.
        if (!overrides.ContainsKey("Emulator:Https:CertificatePath"))
        {
            overrides["Emulator:Https:CertificatePath"] = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".empower",
                "emulator-certificate.pfx");
        }

        overrides["Logging:LogLevel:Default"] = "Warning";
        var app = EmulatorApp.Build([], overrides);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (OptionsValidationException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Invalid emulator setting:[/] {string.Join("; ", ex.Failures)}");
            return ExitCodes.InvalidInput;
        }

        var (http, https) = EmulatorApp.BoundAddresses(app);
        var options = app.Services.GetRequiredService<IOptions<EmulatorOptions>>().Value;
        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("Web API", $"{http}api/data/v9.2/");
        table.AddRow("Token endpoint", $"{https ?? http}{options.Tenant}/oauth2/v2.0/token");
        table.AddRow("Certificate (SHA-256)", app.Services.GetRequiredService<EmulatorCertificate>().Thumbprint ?? "(HTTPS off)");
        table.AddRow("Principals", string.Join(", ", Dataverse.Emulator.Auth.TokenService.Principals(options).Select(p => p.ClientId)));
        table.AddRow("Stats", $"{http}_emulator/stats");
        AnsiConsole.Write(new Panel(table).Header("Empower Dataverse emulator — development only"));
        var principals = Dataverse.Emulator.Auth.TokenService.Principals(options).Take(4).ToList();
        string thumbprint = app.Services.GetRequiredService<EmulatorCertificate>().Thumbprint ?? "";
        string settingsJson = System.Text.Json.JsonSerializer.Serialize(new
        {
            Empower = new
            {
                Dataverse = new
                {
                    Url = http.AbsoluteUri,
                    TenantId = options.Tenant,
                    AuthorityHost = (https ?? http).AbsoluteUri,
                    DevelopmentCertificateThumbprint = thumbprint,
                    Principals = principals.Select(p => new { p.ClientId, p.ClientSecret }),
                },
            },
        }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        if (settings.WriteSettings is { } file)
        {
            await File.WriteAllTextAsync(file, settingsJson + Environment.NewLine, cancellationToken);
            Console.Out.WriteLine($"Settings for this emulator written to {Path.GetFullPath(file)}: empower sync --job <job file> --settings {file}");
        }
        else
        {
            Console.Out.WriteLine("Settings for empower sync --settings <file> (or run with --write-settings <file>):");
            Console.Out.WriteLine(settingsJson);
        }

        AnsiConsole.MarkupLine("Press [bold]Ctrl+C[/] to stop.");
        await app.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Success;
    }
}
