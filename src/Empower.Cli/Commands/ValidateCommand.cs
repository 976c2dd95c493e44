using Empower.Cli.Runner;
using Empower.Sync.Dataverse;
using Empower.Sync.Ingestion;
using Empower.Sync.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Empower.Cli.Commands;

/// <summary>
/// <c>empower validate --job FILE</c>: every problem of a job against its table and Dataverse, before any write; and a
/// token for every principal (exit 3 naming each one that cannot get one, and why). An ingest job (<c>from</c>/<c>to</c>)
/// is checked against its Dataverse table: change tracking on, its columns there and of a type ingestion writes.
/// </summary>
public sealed class ValidateCommand : AsyncCommand<JobSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, JobSettings settings, CancellationToken cancellationToken)
    {
        if (IngestJobLoader.IsIngestJob(settings.Job))
        {
            return await ValidateIngestAsync(settings, cancellationToken);
        }

        var job = await JobDefinitionLoader.LoadAsync(settings.Job, cancellationToken);
        var configuration = CliConfiguration.ForJob(settings.Settings, settings.Job);
        await using var telemetry = CliTelemetry.Start(configuration, settings.Verbose);
        var check = await JobCheck.RunAsync(job, configuration, telemetry.Loggers, cancellationToken);
        return Report($"The job '{job.Name}'", "maps correctly", check.Description, check.Principals,
            [.. check.PrincipalsOut.Select(p => (p.Principal, p.Reason))]);
    }

    /// <summary>An ingest job: its table (change tracking on), its columns, and a token for every principal; nothing is read or written.</summary>
    private static async Task<int> ValidateIngestAsync(JobSettings settings, CancellationToken cancellationToken)
    {
        var job = await IngestJobLoader.LoadAsync(settings.Job, cancellationToken);
        var configuration = CliConfiguration.ForJob(settings.Settings, settings.Job);
        await using var telemetry = CliTelemetry.Start(configuration, settings.Verbose);
        await using var services = CliServices.Build(configuration, telemetry.Loggers);
        var dataverse = services.GetRequiredService<DataverseClient>();
        var principalsOut = await dataverse.CheckPrincipalsAsync(cancellationToken);
        var (table, plan, _) = await new IngestRunner(dataverse, TimeProvider.System).CheckAsync(job, cancellationToken);
        string description = $"'{table.LogicalName}' (change tracking on) → {plan.Columns.Count} columns of {job.To.Path}";
        return Report($"The ingest job '{job.Name}'", "is correct", description, dataverse.Pool.Principals.Count, principalsOut);
    }

    /// <summary>
    /// A job that checks out, and its principals: a run would go on without those that cannot get a token, at a
    /// fraction of the throughput, so a check names each and fails (exit 3).
    /// </summary>
    private static int Report(string job, string correct, string description, int principals, IReadOnlyList<(string Principal, string Reason)> principalsOut)
    {
        if (principalsOut.Count > 0)
        {
            foreach (var (principal, reason) in principalsOut)
            {
                Console.Out.WriteLine($"error: principal {principal}: {reason}");
            }

            Console.Out.WriteLine($"{job} {correct} ({description}), but {principalsOut.Count} of {principals} principals cannot get a token.");
            return ExitCodes.RunFailed;
        }

        AnsiConsole.MarkupLineInterpolated($"[green]{job} is valid:[/] {description}; {principals} of {principals} principals get a token.");
        return ExitCodes.Success;
    }
}
