using System.ComponentModel;
using System.Text.Json;
using Empower.Cli.Runner;
using Empower.InProcess;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Starting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Empower.Cli.Commands;

/// <summary><c>empower sync --job FILE</c>: one run in this process, with live progress and a summary.</summary>
public sealed class SyncCommand : AsyncCommand<SyncCommand.Settings>
{
    public sealed class Settings : JobSettings
    {
        [CommandOption("--json")]
        [Description("Print one JSON summary instead of the progress bar and table.")]
        public bool Json { get; init; }

        [CommandOption("--run-id <ID>")]
        [Description("The run's id (default: a time stamp); names the run's report and failed rows.")]
        public string? RunId { get; init; }

        [CommandOption("--full")]
        [Description("Read the whole table even when only the changes since the last run could be read (change detection still skips unchanged rows).")]
        public bool Full { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var job = await JobDefinitionLoader.LoadAsync(settings.Job, cancellationToken);
        var configuration = CliConfiguration.Build(settings.Settings);
        await using var telemetry = CliTelemetry.Start(configuration, settings.Verbose);
        // Settings, table and mapping problems end here with 2, before the host starts or anything is written.
        await JobCheck.RunAsync(job, configuration, telemetry.Loggers, cancellationToken);
        await using var runner = await SyncRunner.StartAsync(configuration, telemetry.Loggers);
        var input = new SyncRunInput(job, settings.RunId ?? RunIds.At(DateTimeOffset.UtcNow), Full: settings.Full);
        var summary = settings.Json
            ? await runner.RunAsync(input, null, cancellationToken)
            : await RunWithProgressAsync(runner, input, cancellationToken);
        Print(summary, settings.Json);
        return summary.Failed > 0 ? ExitCodes.RowsFailed : ExitCodes.Success;
    }

    public static async Task<RunSummary> RunWithProgressAsync(SyncRunner runner, SyncRunInput input, CancellationToken cancellationToken)
    {
        RunSummary? summary = null;
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var task = progress.AddTask($"{input.Job.Name}: plan");
            summary = await runner.RunAsync(input, p =>
            {
                task.Description = $"{input.Job.Name}: {p.Stage} — {p.Written:N0} written, {p.Unchanged:N0} unchanged, {p.Failed:N0} failed";
                task.MaxValue = Math.Max(1, p.PartitionsTotal);
                task.Value = p.PartitionsDone;
            }, cancellationToken);
            task.Description = $"{input.Job.Name}: done — {summary.Written:N0} written, {summary.Unchanged:N0} unchanged, {summary.Failed:N0} failed";
            task.MaxValue = 1;
            task.Value = 1;
        });
        return summary!;
    }

    public static void Print(RunSummary summary, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(summary, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            return;
        }

        var r = summary.Rows;
        var table = new Table().AddColumns("Job", "Version", "Read", "Written", "Unchanged", "Failed", "Superseded", "Deleted", "Deletes ignored", "Deferrals");
        table.AddRow(summary.Job, summary.Version?.ToString() ?? "-", $"{r.Read:N0}", $"{r.Written:N0}", $"{r.Unchanged:N0}", $"{r.Failed:N0}", $"{r.Superseded:N0}", $"{r.Deleted:N0}", $"{r.DeletesIgnored:N0}", $"{summary.Deferrals}");
        AnsiConsole.Write(table);
        Console.Out.WriteLine($"Read {summary.ReadMode}: {summary.ReadReason}. Change detection: {summary.ChangeDetection}.");
        if (summary.Principals.Count > 0)
        {
            var principals = new Table().AddColumns("Principal", "Requests", "429 responses", "Retries");
            foreach (var u in summary.Principals)
            {
                principals.AddRow(u.Principal, $"{u.Requests:N0}", $"{u.Throttled:N0}", $"{u.Retries:N0}");
            }

            AnsiConsole.Write(principals);
        }

        AnsiConsole.MarkupLineInterpolated($"Report: {summary.Report}");
        if (summary.FailedRows is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"Failed rows: {summary.FailedRows} (run id {summary.RunId})");
        }
    }
}
