using Empower.Sync.Jobs;
using Empower.Sync.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Empower.Cli.Runner;

/// <summary>
/// What <c>validate</c> checks and <c>sync</c> checks before it starts anything: the settings, the job's table and its
/// mapping against Dataverse metadata. A problem throws (exit code 2 for configuration, 3 when Dataverse or the lake
/// cannot be reached); success returns a one-line description of what the job reads and writes.
/// </summary>
internal static class JobCheck
{
    public static async Task<string> RunAsync(JobDefinition job, IConfiguration configuration, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        await using var services = new ServiceCollection().AddEmpowerPipeline(configuration).AddSingleton(loggers).BuildServiceProvider();
        var runtime = services.GetRequiredService<JobRuntime>();
        var table = await runtime.OpenTableAsync(job, null, cancellationToken);
        var plan = await runtime.PlanMappingAsync(job, table, cancellationToken);
        string files = table.Files.Count == 1 ? "1 file" : $"{table.Files.Count} files";
        return $"{files} of {table.Location} (version {table.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}) map to {plan.Attributes.Count} attributes of '{plan.Target.LogicalName}'";
    }
}
