using Empower.Sync.Pipeline;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Orchestrators;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Empower.InProcess;

/// <summary>
/// Runs sync orchestrations in this process with the Durable Task SDK's in-process host: the same orchestrator and
/// activity classes as the Functions app. The host runs as many work items at once as the runtime reports processors
/// (set <c>DOTNET_PROCESSOR_COUNT</c>, e.g. 64, for wide fan-outs on small machines).
/// </summary>
public sealed class SyncRunner : IAsyncDisposable
{
    private readonly DurableTaskTestHost _host;

    private SyncRunner(DurableTaskTestHost host) => _host = host;

    public static async Task<SyncRunner> StartAsync(IConfiguration configuration, ILoggerFactory? loggers = null)
    {
        // The in-process host's gRPC server logs every call at Information; it reads its levels from the environment.
        if (Environment.GetEnvironmentVariable("Logging__LogLevel__Default") is null)
        {
            Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        }

        // The host listens on a random port in 30000-39999 unless told one; take a free one, and another on a clash.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var host = await DurableTaskTestHost.StartAsync(r => r.AddSyncTasks(), new DurableTaskTestHostOptions
                {
                    Port = FreePort(),
                    ConfigureServices = services =>
                    {
                        services.AddEmpowerPipeline(configuration);
                        if (loggers is not null)
                        {
                            services.AddSingleton(loggers);
                        }
                    },
                    LoggerFactory = loggers ?? NullLoggerFactory.Instance,
                });
                return new SyncRunner(host);
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>Runs one job to the end, reporting the run's progress as it changes.</summary>
    public async Task<RunSummary> RunAsync(SyncRunInput input, Action<RunProgress>? progress, CancellationToken cancellationToken)
    {
        string id = await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SyncRunOrchestrator), input, cancellationToken);
        while (true)
        {
            var state = await _host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
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

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A run that did not complete; the message is the orchestration's failure (often a job configuration problem).</summary>
public sealed class SyncRunFailedException(string message) : Exception(message);
