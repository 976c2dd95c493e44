using Empower.Sync.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Empower.Cli.Runner;

/// <summary>
/// The command's logs and telemetry: Empower's own log events on standard error at Warning (Debug with
/// <c>--verbose</c>, or as <c>Logging:LogLevel:Empower</c> says), the in-process host's chatter kept at Warning; and,
/// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, traces, metrics and logs exported over OTLP. Disposing flushes them.
/// </summary>
internal sealed class CliTelemetry : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CliTelemetry(ServiceProvider services) => _services = services;

    public ILoggerFactory Loggers => _services.GetRequiredService<ILoggerFactory>();

    public static CliTelemetry Start(IConfiguration configuration, bool verbose)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Empower", verbose ? LogLevel.Debug : LogLevel.Warning)
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            }));
        // Standard output carries the summary (and --json's one object); every log line goes to standard error.
        services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        services.AddEmpowerTelemetry(configuration, "empower-cli");
        var provider = services.BuildServiceProvider();
        // Without a generic host nothing starts the providers: resolving them does.
        provider.GetService<TracerProvider>();
        provider.GetService<MeterProvider>();
        return new CliTelemetry(provider);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
