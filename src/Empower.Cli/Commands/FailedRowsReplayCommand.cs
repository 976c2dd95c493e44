using System.ComponentModel;
using Empower.Cli.Runner;
using Empower.Sync.Dataverse;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Starting;
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
        await using var services = new ServiceCollection().AddEmpowerDataverse(configuration).BuildServiceProvider();
        var table = FailedRowsListCommand.Open(job, configuration);
        string replayRun = $"replay-{settings.Run}-{RunIds.At(DateTimeOffset.UtcNow)}";
        var result = await new FailedRowReplayer(services.GetRequiredService<DataverseClient>(), table, TimeProvider.System)
            .ReplayAsync(job, settings.Run, replayRun, cancellationToken);
        AnsiConsole.MarkupLineInterpolated(
            $"{result.FailedRows} failed rows in run {settings.Run}: {result.Replayed} replayed, {result.Written} now written, {result.StillFailing} still failing{(result.StillFailing > 0 ? $" (recorded under run {replayRun})" : "")}.");
        return result.StillFailing > 0 ? ExitCodes.RowsFailed : ExitCodes.Success;
    }
}
