using System.ComponentModel;
using System.Text.Json;
using Empower.Cli.Runner;
using Empower.InProcess;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Reporting;
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
        [Description("Read the whole table even when only the changes since the last run could be read. Change detection still skips rows the published " +
            "state holds: after the target was emptied, use --resend.")]
        public bool Full { get; init; }

        [CommandOption("--resend")]
        [Description("Read the whole table and send every row, ignoring the published state, then rebuild that state from what Dataverse confirms (after " +
            "the target was emptied or restored).")]
        public bool Resend { get; init; }

        [CommandOption("--progress-every <SECONDS>")]
        [Description("Without a terminal (a pipe, a scheduler's log): print a progress line every this many seconds. Default 10.")]
        public int ProgressEvery { get; init; } = 10;

        public override ValidationResult Validate() =>
            ProgressEvery < 1 ? ValidationResult.Error("--progress-every must be at least 1 second.")
            : RunId is not null && RunIds.Problem(RunId) is { } problem ? ValidationResult.Error($"--run-id: {problem}")
            : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var job = await JobDefinitionLoader.LoadAsync(settings.Job, cancellationToken);
        var configuration = CliConfiguration.ForJob(settings.Settings, settings.Job);
        string runId = settings.RunId ?? RunIds.At(DateTimeOffset.UtcNow);
        using var runLock = RunLock.Acquire(job, configuration[CliConfiguration.StateLocationKey]!);
        await using var telemetry = CliTelemetry.Start(configuration, settings.Verbose);
        // Settings, table and mapping problems end here with 2, before the host starts or anything is written.
        var check = await JobCheck.RunAsync(job, configuration, telemetry.Loggers, cancellationToken);
        foreach (var problem in check.PrincipalsOut)
        {
            Console.Error.WriteLine($"warning: principal {problem.Principal} is taken out: {problem.Reason} The run goes on with " +
                $"{check.Principals - check.PrincipalsOut.Count} of {check.Principals} principals.");
        }

        await using var runner = await SyncRunner.StartAsync(configuration, telemetry.Loggers);
        var input = new SyncRunInput(job, runId, Full: settings.Full, JobFile: Path.GetFullPath(settings.Job), Resend: settings.Resend);
        var summary = await RunWithProgressAsync(runner, input, settings.Json ? null : settings.ProgressEvery, cancellationToken);
        Print(summary, settings.Json);
        return ExitCodes.Of(summary);
    }

    /// <summary>
    /// Runs the job; with <paramref name="progressEvery"/> it shows live progress — a bar in a terminal, otherwise a
    /// line every that many seconds — and without it nothing until the end. <paramref name="stop"/> stops the run gracefully.
    /// </summary>
    public static async Task<RunSummary> RunWithProgressAsync(SyncRunner runner, SyncRunInput input, int? progressEvery, CancellationToken stop)
    {
        if (progressEvery is not { } every)
        {
            return await runner.RunAsync(input, null, stop);
        }

        using var live = new LiveProgress(input.Job.Name);
        string name = input.Job.Name;
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            var next = DateTimeOffset.UtcNow.AddSeconds(every);
            var done = await runner.RunAsync(input, p =>
            {
                if (DateTimeOffset.UtcNow >= next)
                {
                    next = DateTimeOffset.UtcNow.AddSeconds(every);
                    Console.Out.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {name}: {p.Stage} — {live.Snapshot(p.Planned)}");
                }
            }, stop);
            Console.Out.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {name}: {done.Status.Replace('_', ' ')} — {live.Snapshot(done.Read)}");
            return done;
        }

        RunSummary? summary = null;
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var task = progress.AddTask($"{name}: plan");
            summary = await runner.RunAsync(input, p =>
            {
                var now = live.Snapshot(p.Planned);
                task.Description = Markup.Escape($"{name}: {p.Stage} — {now}");
                task.MaxValue = Math.Max(1, p.Planned);
                task.Value = Math.Min(now.Done, task.MaxValue);
            }, stop);
            task.Description = Markup.Escape($"{name}: {summary.Status.Replace('_', ' ')} — {summary.Written:N0} written, {summary.Unchanged:N0} unchanged, " +
                $"{summary.Failed:N0} failed");
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
        if (summary.Error is not null)
        {
            Console.Out.WriteLine($"The run was {summary.Status} during {summary.StoppedIn}: {summary.Error}. {summary.Partitions} of " +
                $"{Counted.Of(summary.PartitionsPlanned, "partition")} finished; what Dataverse confirmed is recorded and the next run sends the rest.");
        }

        var table = new Table().AddColumns("Job", "Version", "Read", "Written", "Unchanged", "Failed", "Superseded", "Deleted", "Deletes ignored",
            "Not sent", "Deferrals");
        table.AddRow(summary.Job, summary.Version?.ToString() ?? "-", $"{r.Read:N0}", $"{r.Written:N0}", $"{r.Unchanged:N0}", $"{r.Failed:N0}",
            $"{r.Superseded:N0}", $"{r.Deleted:N0}", $"{r.DeletesIgnored:N0}", $"{r.NotSent:N0}", $"{summary.Deferrals}");
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

        foreach (var problem in summary.PrincipalsOut ?? [])
        {
            Console.Out.WriteLine($"Principal taken out: {problem.Principal}: {problem.Reason}");
        }

        Console.Out.WriteLine($"State: {summary.State}");
        AnsiConsole.MarkupLineInterpolated($"Report: {summary.Report}");
        if (summary.FailedRows is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"Failed rows: {summary.FailedRows} (run id {summary.RunId})");
        }
    }
}
