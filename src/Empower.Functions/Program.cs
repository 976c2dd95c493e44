using Azure.Monitor.OpenTelemetry.Exporter;
using Empower.Sync.Ingestion;
using Empower.Sync.Pipeline.Runtime;
using Empower.Sync.Pipeline;
using Empower.Sync.Telemetry;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var host = new HostBuilder()
    .ConfigureFunctionsWorkerDefaults()
    .ConfigureServices((context, services) =>
    {
        services
            .AddEmpowerPipeline(context.Configuration)
            .AddEmpowerTriggers(context.Configuration)
            .AddIngestTriggers()
            .PostConfigure<PipelineOptions>(options => options.UsePrincipalsEntity = true);
        // Traces, metrics and logs to Application Insights when the app has its connection string (the Bicep sets it).
        var telemetry = services.AddEmpowerTelemetry(context.Configuration, "empower-functions").UseFunctionsWorkerDefaults();
        if (!string.IsNullOrWhiteSpace(context.Configuration[ApplicationInsightsConnectionString]))
        {
            telemetry.UseAzureMonitorExporter();
        }
    })
    .Build();

await host.RunAsync();

internal static partial class Program
{
    private const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";
}
