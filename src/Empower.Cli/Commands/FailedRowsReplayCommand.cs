using System.ComponentModel;
using Empower.Cli.Runner;
using Empower.Sync.ChangeDetection;
using Empower.Sync.Dataverse;
using Empower.Sync.FailedRows;
using Empower.Sync.Hosting;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Reporting;
using Empower.Sync.Pipeline.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Empower.Cli.Commands;

/// <summary><c>empower failed-rows replay --job FILE --run ID</c>: publish a run's failed rows again after a fix.</summary>
public sealed class FailedRowsReplayCommand : AsyncCommand<FailedRowsReplayCommand.Settings>
{
    public sealed class Settings : JobSettings
    {
        [CommandOption("--run <ID>")]
        [Description("The run whose failed rows to publish again.")]
        public string Run { get; init; } = "";

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Run) ? ValidationResult.Error("--run <ID> is required.") : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var job = await JobDefinitionLoader.LoadAsync(settings.Job, cancellationToken);
        var configuration = CliConfiguration.ForJob(settings.Settings, settings.Job);
        var table = FailedRowsListCommand.Open(job, configuration);
        var rows = await table.ReadAsync(settings.Run, cancellationToken);
        if (rows.Count == 0)
        {
            var (exists, message) = await FailedRowsListCommand.NoRowsAsync(job, configuration, table, settings.Run, cancellationToken);
            // A run that finished without failed rows has nothing to replay; a run that does not exist is a mistake.
            return exists ? Done(message) : throw new ArgumentException(message);
        }

        if (!rows.Any(r => r.Payload is not null && r.Stage is FailureStage.Publish or FailureStage.Deferral))
        {
            throw new ArgumentException(
                $"Run {settings.Run} has {Counted.Of(rows.Count, "failed row")}, none of which can be replayed: they failed in prepare or read (bad data, " +
                    $"an unreadable file), or were recorded without their payload. Fix them in the lake, then sync.");
        }

        var (pipeline, lake) = FailedRowsListCommand.Options(configuration);
        var jobState = LakeStorageFactory.Create(JobRuntime.StateLocation(job, pipeline), lake);
        await using var services = new ServiceCollection().AddEmpowerDataverse(configuration).BuildServiceProvider().ValidateNow();
        var client = services.GetRequiredService<DataverseClient>();
        var state = new PublishedStateTable(LakeStorageFactory.Create(JobRuntime.StateTableLocation(job, pipeline), lake), TimeProvider.System,
            client.KeyCollation);
        string replayRun = $"replay-{settings.Run}-{RunIds.At(DateTimeOffset.UtcNow)}";
        var result = await new FailedRowReplayer(client, table, jobState, state, TimeProvider.System)
            .ReplayAsync(job, settings.Run, replayRun, cancellationToken);
        Console.Out.WriteLine(
            $"Run {settings.Run}: {Counted.Of(result.FailedRows, "failed row")}; {result.Replayed:N0} replayed: {result.Written:N0} now written, " +
                $"{result.StillFailing:N0} still failing" +
            (result.StillFailing > 0 ? $" (recorded under run {replayRun}: empower failed-rows list --job {settings.Job} --run {replayRun})" : "") +
            (result.NotReplayable > 0 ? $"; {result.NotReplayable:N0} not replayable (prepare or read failures: fix them in the lake, then sync)" : "") +
            $". What was replayed: {jobState.Describe($"runs/{replayRun}/replay.json")}.");
        return result.StillFailing > 0 ? ExitCodes.RowsFailed : ExitCodes.Success;
    }

    private static int Done(string message)
    {
        Console.Out.WriteLine(message);
        return ExitCodes.Success;
    }
}
