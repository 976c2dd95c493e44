using Empower.Sync.Hosting;
using Empower.Sync.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Empower.Cli.Runner;

/// <summary>The pipeline's services (Dataverse client, lake and pipeline settings) for the commands that run no orchestration.</summary>
internal static class CliServices
{
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">With every problem of every section.</exception>
    public static ServiceProvider Build(IConfiguration configuration, ILoggerFactory loggers) =>
        new ServiceCollection().AddEmpowerPipeline(configuration).AddSingleton(loggers).BuildServiceProvider().ValidateNow();
}
