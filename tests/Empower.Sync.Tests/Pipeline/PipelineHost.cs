using Empower.Dataverse.Emulator.Hosting;
using Empower.InProcess;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;
using Microsoft.Extensions.Configuration;

namespace Empower.Sync.Tests.Pipeline;

/// <summary>The CLI's in-process runner (<see cref="SyncRunner"/>) against an emulator, with state in a temp folder.</summary>
internal static class PipelineHost
{
    /// <summary>Longer than any test run takes: a run still going then is stopped, and its summary fails the test.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(4);

    public static Task<SyncRunner> StartAsync(EmulatorServer server, string state, int principals = 2, params (string Key, string Value)[] extra)
    {
        var settings = Testing.Dataverse.EmulatorDataverse.Settings(server, principals);
        settings["Empower:Pipeline:StateLocation"] = state;
        settings["Empower:Pipeline:PartitionMaxRows"] = "300";
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return SyncRunner.StartAsync(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    }

    public static async Task<RunSummary> RunAsync(SyncRunner runner, JobDefinition job, string runId, bool full = false)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        return await runner.RunAsync(new SyncRunInput(job, runId, Full: full), progress: null, guard.Token);
    }
}
