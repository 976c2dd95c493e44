using Empower.Cli.Runner;
using Empower.Sync.Dataverse;
using Empower.Sync.Ingestion;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline;
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
        if (check.PrincipalsOut.Count > 0)
        {
            // A run would go on without them, at a fraction of the throughput: a check says so and fails.
            foreach (var problem in check.PrincipalsOut)
            {
                Console.Out.WriteLine($"error: principal {problem.Principal}: {problem.Reason}");
            }

            Console.Out.WriteLine($"The job '{job.Name}' maps correctly ({check.Description}), but {check.PrincipalsOut.Count} of {check.Principals} principals cannot get a token.");
            return ExitCodes.RunFailed;
        }

        AnsiConsole.MarkupLineInterpolated($"[green]The job '{job.Name}' is valid:[/] {check.Description}; {check.Principals} of {check.Principals} principals get a token.");
        return ExitCodes.Success;
    }

    /// <summary>An ingest job: its table (change tracking on), its columns, and a token for every principal; nothing is read or written.</summary>
    private static async Task<int> ValidateIngestAsync(JobSettings settings, CancellationToken cancellationToken)
    {
        var job = await IngestJobLoader.LoadAsync(settings.Job, cancellationToken);
        var configuration = CliConfiguration.ForJob(settings.Settings, settings.Job);
        await using var telemetry = CliTelemetry.Start(configuration, settings.Verbose);
        await using var services = new ServiceCollection().AddEmpowerPipeline(configuration).AddSingleton(telemetry.Loggers).BuildServiceProvider();
        var dataverse = services.GetRequiredService<DataverseClient>();
        var principalsOut = await dataverse.CheckPrincipalsAsync(cancellationToken);
        var (table, plan) = await new IngestRunner(dataverse, TimeProvider.System).CheckAsync(job, cancellationToken);
        string description = $"'{table.LogicalName}' (change tracking on) → {plan.Columns.Count} columns of {job.To.Path}";
        foreach (var (principal, reason) in principalsOut)
        {
            Console.Out.WriteLine($"error: principal {principal}: {reason}");
        }

        if (principalsOut.Count > 0)
        {
            Console.Out.WriteLine($"The ingest job '{job.Name}' is correct ({description}), but {principalsOut.Count} of {dataverse.Pool.Principals.Count} principals cannot get a token.");
            return ExitCodes.RunFailed;
        }

        AnsiConsole.MarkupLineInterpolated($"[green]The ingest job '{job.Name}' is valid:[/] {description}; {dataverse.Pool.Principals.Count} of {dataverse.Pool.Principals.Count} principals get a token.");
        return ExitCodes.Success;
    }
}
