using Empower.Sync.Dataverse;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Reporting;
using Empower.Sync.Pipeline.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Empower.Cli.Runner;

/// <summary>
/// What <c>validate</c> checks and <c>sync</c> checks before it starts anything: the settings, a token for every
/// principal, the job's table and its mapping against Dataverse metadata. A problem throws (exit code 2 for
/// configuration, 3 when Dataverse, the token endpoint or the lake cannot be reached or no principal gets a token);
/// success says what the job reads and writes, and which principals cannot get a token and why.
/// </summary>
internal static class JobCheck
{
    public static async Task<JobCheckResult> RunAsync(JobDefinition job, IConfiguration configuration, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        await using var services = CliServices.Build(configuration, loggers);
        var runtime = services.GetRequiredService<JobRuntime>();
        var dataverse = services.GetRequiredService<DataverseClient>();
        var principalsOut = (await dataverse.CheckPrincipalsAsync(cancellationToken)).Select(p => new PrincipalProblem(p.Principal, p.Reason)).ToList();

        var source = await runtime.CheckSourceAsync(job, cancellationToken);
        string files = Counted.Of(source.Files, "file");
        string description = $"{files} of {source.Location} (version {source.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}) " +
            $"map to {source.Mapping.Attributes.Count} attributes of '{source.Mapping.Target.LogicalName}'";
        return new JobCheckResult(description, dataverse.Pool.Principals.Count, principalsOut);
    }
}

/// <summary>What a job check found: what the job reads and writes, and the principals that cannot get a token, of how many.</summary>
internal sealed record JobCheckResult(string Description, int Principals, IReadOnlyList<PrincipalProblem> PrincipalsOut);
