using System.ComponentModel;
using Empower.Cli.Runner;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline;
using Microsoft.Extensions.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Empower.Cli.Commands;

/// <summary><c>empower failed-rows list --job FILE [--run ID]</c>: the rows a job could not publish, and why.</summary>
public sealed class FailedRowsListCommand : AsyncCommand<FailedRowsListCommand.Settings>
{
    public sealed class Settings : JobSettings
    {
        [CommandOption("--run <ID>")]
        [Description("Only this run's failed rows.")]
        public string? Run { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var job = await JobDefinitionLoader.LoadAsync(settings.Job, cancellationToken);
        var table = Open(job, CliConfiguration.ForJob(settings.Settings, settings.Job));
        var rows = await table.ReadAsync(settings.Run, cancellationToken);
        var view = new Table().AddColumns("Run", "Stage", "Source row", "Key", "Code", "Reason");
        foreach (var row in rows.OrderBy(r => r.RunId, StringComparer.Ordinal).ThenBy(r => r.SourceFile, StringComparer.Ordinal).ThenBy(r => r.RowIndex))
        {
            view.AddRow(
                Markup.Escape(row.RunId), row.Stage.ToString().ToLowerInvariant(), Markup.Escape($"{row.SourceFile} #{row.RowIndex}"),
                Markup.Escape(row.RowKey ?? ""), Markup.Escape(row.ErrorCode ?? ""), Markup.Escape(row.ErrorMessage));
        }

        AnsiConsole.Write(view);
        AnsiConsole.MarkupLineInterpolated($"{rows.Count} failed rows.");
        return ExitCodes.Success;
    }

    public static FailedRowsTable Open(JobDefinition job, IConfiguration configuration)
    {
        var pipeline = configuration.GetSection(PipelineOptions.SectionName).Get<PipelineOptions>() ?? new PipelineOptions();
        var lake = configuration.GetSection(LakeConnectionOptions.SectionName).Get<LakeConnectionOptions>() ?? new LakeConnectionOptions();
        return new FailedRowsTable(LakeStorageFactory.Create(JobRuntime.FailedRowsLocation(job, pipeline), lake), TimeProvider.System);
    }
}
