using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Running;
using Empower.Sync.Pipeline.Stopping;
using Empower.Sync.Pipeline;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Empower.InProcess;

/// <summary>
/// Runs sync orchestrations in this process with the Durable Task SDK's in-process host: the same orchestrator and
/// activity classes as the Functions app. The host runs as many work items at once as the runtime reports processors
/// (set <c>DOTNET_PROCESSOR_COUNT</c>, e.g. 64, for wide fan-outs on small machines).
/// </summary>
public sealed class SyncRunner : IAsyncDisposable
{
    /// <summary>How long a stopped run may take to finalise before <see cref="RunAsync"/> gives up on it.</summary>
    public static readonly TimeSpan StopLimit = RunStop.Grace + TimeSpan.FromSeconds(10);

    private readonly DurableTaskTestHost _host;
    private readonly RunStop _stop;

    private SyncRunner(DurableTaskTestHost host, RunStop stop)
    {
        _host = host;
        _stop = stop;
    }

    /// <summary>The host's client, for what <see cref="RunAsync"/> does not do (other orchestrations, events, queries).</summary>
    public DurableTaskClient Client => _host.Client;

    /// <summary>The stop this runner's activities watch; <see cref="RunAsync"/> requests it when its stop token is cancelled.</summary>
    public RunStop Stop => _stop;

    /// <summary>The worker's services (the pipeline's, and what <c>configureServices</c> added).</summary>
    public IServiceProvider Services => _host.Services;

    /// <param name="configureServices">More services for the worker, after the pipeline's (tests add telemetry exporters).</param>
    public static async Task<SyncRunner> StartAsync(IConfiguration configuration, ILoggerFactory? loggers = null,
        Action<IServiceCollection>? configureServices = null)
    {
        // The in-process host's gRPC server logs every call at Information; it reads its levels from the environment.
        if (Environment.GetEnvironmentVariable("Logging__LogLevel__Default") is null)
        {
            Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        }

        var stop = new RunStop();
        var host = await InProcessHost.StartAsync(
            services =>
            {
                services.AddSingleton(stop);
                services.AddEmpowerPipeline(configuration);
                if (loggers is not null)
                {
                    services.AddSingleton(loggers);
                }

                configureServices?.Invoke(services);
            },
            loggers);
        KeepRunningOnSignals(host);
        return new SyncRunner(host, stop);
    }

    /// <summary>
    /// Runs one job to the end, reporting the run's progress as it changes. When <paramref name="stop"/> is cancelled
    /// the run stops gracefully (see <see cref="RunStop"/>) and its summary says <c>cancelled</c>; if it has not
    /// finalised within <see cref="StopLimit"/>, this throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<RunSummary> RunAsync(SyncRunInput input, Action<RunProgress>? progress, CancellationToken stop)
    {
        string id = await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SyncRunOrchestrator), input, CancellationToken.None);
        using var stopping = stop.Register(() => _ = StopAsync(id));
        using var limit = new CancellationTokenSource();
        using var stopLimit = stop.Register(() => limit.CancelAfter(StopLimit));
        while (true)
        {
            var state = await _host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, limit.Token);
            if (state?.ReadCustomStatusAs<RunProgress>() is { } status)
            {
                progress?.Invoke(status);
            }

            switch (state?.RuntimeStatus)
            {
                case OrchestrationRuntimeStatus.Completed:
                    return state.ReadOutputAs<RunSummary>()!;
                case OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated:
                    throw new SyncRunFailedException(state.FailureDetails?.ErrorMessage ?? $"The run ended as {state.RuntimeStatus}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), limit.Token);
        }
    }

    private async Task StopAsync(string id)
    {
        _stop.Request();
        await _host.Client.RaiseEventAsync(id, RunEvents.Stop, "stop", CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>
    /// The in-process host is two generic hosts (the gRPC sidecar and the worker) whose console lifetimes stop them on
    /// SIGINT/SIGTERM — before a stopped run could finalise. Whoever runs the runner stops runs itself
    /// (<see cref="RunAsync"/>'s stop token), so those lifetimes let go of the signals. The sidecar is not exposed: it
    /// is reached by its field, and a package update that renames it fails here, at start, not at the first signal.
    /// </summary>
    private static void KeepRunningOnSignals(DurableTaskTestHost host)
    {
        var sidecar = typeof(DurableTaskTestHost).GetField("sidecarHost",
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)?.GetValue(host) as IHost
            ?? throw new InvalidOperationException("Microsoft.DurableTask.InProcessTestHost has no sidecarHost field any more: " +
                "SyncRunner.KeepRunningOnSignals needs updating.");
        foreach (var services in new[] { host.Services, sidecar.Services })
        {
            (services.GetService<IHostLifetime>() as IDisposable)?.Dispose();
        }
    }
}

/// <summary>A run that did not complete; the message is the orchestration's failure (often a job configuration problem).</summary>
public sealed class SyncRunFailedException(string message) : Exception(message);
