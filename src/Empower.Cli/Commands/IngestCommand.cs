using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Empower.Cli.Runner;
using Empower.Sync.Dataverse;
using Empower.Sync.Ingestion;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Reporting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console.Cli;
using Spectre.Console;

namespace Empower.Cli.Commands;

/// <summary>
/// <c>empower ingest --job FILE</c>: one run of an ingest job — a Dataverse table with change tracking into its Delta
/// table: a snapshot the first time, then the changes since the last run, one commit each (docs/ingestion.md).
/// </summary>
public sealed class IngestCommand : AsyncCommand<IngestCommand.Settings>
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public sealed class Settings : JobSettings
    {
        [CommandOption("--run-id <ID>")]
        [Description("The run's id (default: the UTC time, e.g. 20260101T020000Z).")]
        public string? RunId { get; init; }

        [CommandOption("--progress-every <SECONDS>")]
        [Description("Print a progress line (records read, records/s, 429s) every this many seconds, and one at the end; not with --json. Default 10.")]
        public int ProgressEvery { get; init; } = 10;

        public override ValidationResult Validate() => ProgressEvery < 1
            ? ValidationResult.Error("--progress-every must be at least 1 second.") : base.Validate();

        [CommandOption("--json")]
        [Description("Print one JSON object (mode, reason, read, created, updated, deleted, version, ...) for scripts.")]
        public bool Json { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var job = await IngestJobLoader.LoadAsync(settings.Job, cancellationToken);
        var configuration = CliConfiguration.ForJob(settings.Settings, settings.Job);
        await using var telemetry = CliTelemetry.Start(configuration, settings.Verbose);
        using var live = new LiveProgress(job.Name);
        using var ticking = new CancellationTokenSource();
        var lines = settings.Json ? Task.CompletedTask : PrintProgressAsync(job.Name, live, TimeSpan.FromSeconds(settings.ProgressEvery), ticking.Token);
        IngestResult result;
        string location;
        try
        {
            (result, location) = await RunAsync(configuration, telemetry.Loggers, job, settings.RunId ?? RunIds.At(DateTimeOffset.UtcNow), cancellationToken);
        }
        finally
        {
            await ticking.CancelAsync();
            await lines;
        }

        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(result, Json));
            return ExitCodes.Success;
        }

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ingested '{job.From.Table}' into {location} (version {result.Version}, {result.Mode}: {result.Reason}): {result.Read:N0} read = " +
                $"{result.Created:N0} created + {result.Updated:N0} updated + {result.Deleted:N0} deleted + {Counted.Of(result.DeletesNotFound, "delete")} " +
                $"of records the table did not hold{(result.FilteredOut > 0 ? $" + {result.FilteredOut:N0} left out by from.filter" : "")}; " +
                $"{Counted.Of(result.Pages, "page")}, {result.Duration.TotalSeconds:N1} s."));
        foreach (string change in result.ColumnChanges)
        {
            Console.Out.WriteLine($"- {change}");
        }

        foreach (string skipped in result.SkippedColumns)
        {
            Console.Out.WriteLine($"- skipped {skipped}");
        }

        return ExitCodes.Success;
    }

    private static async Task PrintProgressAsync(string job, LiveProgress live, TimeSpan every, CancellationToken done)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                Console.Out.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {job}: reading — {live.Ingested()}");
            }
        }
        catch (OperationCanceledException)
        {
            Console.Out.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {job}: read — {live.Ingested()}");
        }
    }

    /// <summary>One ingest run with the settings' Dataverse and lake (also the demo's round trip); returns its result and the table's location.</summary>
    public static async Task<(IngestResult Result, string Location)> RunAsync(
        IConfiguration configuration, ILoggerFactory loggers, IngestJob job, string runId, CancellationToken cancellationToken)
    {
        await using var services = CliServices.Build(configuration, loggers);
        var lake = services.GetRequiredService<IOptions<LakeConnectionOptions>>().Value;
        var target = new IngestTable(LakeStorageFactory.Create(job.To.Path, lake), TimeProvider.System);
        var runner = new IngestRunner(services.GetRequiredService<DataverseClient>(), TimeProvider.System);
        return (await runner.RunAsync(job, target, runId, cancellationToken), target.Storage.Describe(""));
    }
}
