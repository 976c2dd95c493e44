using Empower.Cli.Runner;
using Empower.Sync.Jobs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Empower.Cli.Commands;

/// <summary><c>empower validate --job FILE</c>: every problem of a job against its table and Dataverse, before any write.</summary>
public sealed class ValidateCommand : AsyncCommand<JobSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, JobSettings settings, CancellationToken cancellationToken)
    {
        var job = await JobDefinitionLoader.LoadAsync(settings.Job, cancellationToken);
        var configuration = CliConfiguration.Build(settings.Settings);
        await using var telemetry = CliTelemetry.Start(configuration, settings.Verbose);
        string description = await JobCheck.RunAsync(job, configuration, telemetry.Loggers, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"[green]The job '{job.Name}' is valid:[/] {description}.");
        return ExitCodes.Success;
    }
}
