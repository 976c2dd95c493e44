using Empower.Sync.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var host = new HostBuilder()
    .ConfigureFunctionsWorkerDefaults()
    .ConfigureServices((context, services) => services
        .AddEmpowerPipeline(context.Configuration)
        .AddEmpowerTriggers(context.Configuration)
        .PostConfigure<PipelineOptions>(options => options.UsePrincipalsEntity = true))
    .Build();

await host.RunAsync();
