using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Resources;

namespace Empower.Sync.Telemetry;

/// <summary>
/// What every host exports: Empower's spans and metrics (<see cref="SyncTelemetry.Name"/>), the Durable Task SDK's
/// orchestration and activity spans (so a run's stages and requests form one trace), and logs. Hosts add the exporter.
/// </summary>
public static class TelemetryRegistration
{
    /// <summary>The Durable Task SDK's trace source: orchestration, sub-orchestration and activity spans.</summary>
    public const string DurableTaskSource = "Microsoft.DurableTask";

    /// <summary>The trace sources every host exports.</summary>
    public static readonly string[] Sources = [SyncTelemetry.Name, DurableTaskSource];

    /// <summary>The standard variable that turns on OTLP export (traces, metrics and logs), e.g. <c>http://127.0.0.1:4318</c>.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Empower's instrumentation, exported over OTLP when <see cref="OtlpEndpointVariable"/> is set.</summary>
    public static IOpenTelemetryBuilder AddEmpowerTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var builder = services.AddOpenTelemetry().AddEmpowerInstrumentation(serviceName);
        return string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]) ? builder : builder.UseOtlpExporter();
    }

    public static IOpenTelemetryBuilder AddEmpowerInstrumentation(this IOpenTelemetryBuilder builder, string serviceName) => builder
        .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: typeof(TelemetryRegistration).Assembly.GetName().Version?.ToString()))
        .WithTracing(tracing => tracing.AddSource(Sources))
        .WithMetrics(metrics => metrics.AddMeter(SyncTelemetry.Name))
        .WithLogging();
}
