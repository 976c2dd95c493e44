using Empower.Cli.Runner;
using Empower.Sync.Jobs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Empower.Cli.Commands;

/// <summary>
/// <c>empower validate --job FILE</c>: every problem of a job against its table and Dataverse, before any write; and a
/// token for every principal (exit 3 naming each one that cannot get one, and why).
/// </summary>
public sealed class ValidateCommand : AsyncCommand<JobSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, JobSettings settings, CancellationToken cancellationToken)
    {
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
}
