using Empower.Cli.Runner;
using Empower.Sync.Dataverse;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Empower.Cli.Commands;

/// <summary><c>empower validate --job FILE</c>: every problem of a job against its table and Dataverse, before any write.</summary>
public sealed class ValidateCommand : AsyncCommand<JobSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, JobSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var job = await JobDefinitionLoader.LoadAsync(settings.Job, cancellationToken);
            var configuration = CliConfiguration.Build(settings.Settings);
            await using var telemetry = CliTelemetry.Start(configuration, settings.Verbose);
            await using var services = new ServiceCollection().AddEmpowerPipeline(configuration).AddSingleton(telemetry.Loggers).BuildServiceProvider();
            var runtime = services.GetRequiredService<JobRuntime>();
            var table = await runtime.OpenTableAsync(job, null, cancellationToken);
            var plan = await runtime.PlanMappingAsync(job, table, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[green]The job '{job.Name}' is valid:[/] {table.Files.Count} files of {table.Location} (version {table.Version?.ToString() ?? "-"}) map to {plan.Attributes.Count} attributes of '{plan.Target.LogicalName}'.");
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is JobConfigurationException or ArgumentException or Microsoft.Extensions.Options.OptionsValidationException or FileNotFoundException)
        {
            Console.Out.WriteLine(ex.Message);
            return ExitCodes.InvalidInput;
        }
    }
}
