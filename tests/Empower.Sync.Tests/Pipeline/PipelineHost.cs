using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Orchestrators;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Empower.Sync.Pipeline.Stopping;

namespace Empower.Sync.Tests.Pipeline;

/// <summary>An in-process Durable host running the pipeline against an emulator, with state in a temp folder.</summary>
internal static class PipelineHost
{
    public static Task<DurableTaskTestHost> StartAsync(EmulatorServer server, string state, int principals = 2, params (string Key, string Value)[] extra) =>
        StartAsync(server, state, null, principals, extra);

    /// <summary>A host whose activities stop when <paramref name="stop"/> is requested, as the CLI's do on a signal.</summary>
    public static async Task<DurableTaskTestHost> StartAsync(EmulatorServer server, string state, RunStop? stop, int principals = 2,
        params (string Key, string Value)[] extra)
    {
        var settings = Testing.Dataverse.EmulatorDataverse.Settings(server, principals);
        settings["Empower:Pipeline:StateLocation"] = state;
        settings["Empower:Pipeline:PartitionMaxRows"] = "300";
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return await Empower.InProcess.InProcessHost.StartAsync(services =>
        {
            if (stop is not null)
            {
                services.AddSingleton(stop);
            }

            services.AddEmpowerPipeline(configuration);
        });
    }

    public static async Task<RunSummary> RunAsync(DurableTaskTestHost host, JobDefinition job, string runId, bool full = false)
    {
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SyncRunOrchestrator), new SyncRunInput(job, runId, Full: full));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var state = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Assert.True(state.RuntimeStatus == OrchestrationRuntimeStatus.Completed, state.FailureDetails?.ErrorMessage);
        return state.ReadOutputAs<RunSummary>()!;
    }
}
