using Empower.Sync.Ingestion;
using Empower.Sync.Pipeline;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Empower.InProcess;

/// <summary>
/// The one way to start the Durable Task SDK's in-process host with the sync and ingest orchestrators and activities, behind
/// <see cref="SyncRunner"/> (which the CLI, the benchmarks and the tests start). The host picks a random port in 30000–39999 unless told
/// one, which collides with other servers and connections of a parallel test run; so it gets a free port outside the
/// ephemeral range (<see cref="StablePorts"/>), and another on a clash.
/// </summary>
internal static class InProcessHost
{
    private const int Attempts = 5;

    public static async Task<DurableTaskTestHost> StartAsync(Action<IServiceCollection> configureServices, ILoggerFactory? loggers = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var options = new DurableTaskTestHostOptions { Port = StablePorts.Pick(), ConfigureServices = configureServices };
                if (loggers is not null)
                {
                    // Without one, the logging a caller registers in configureServices is what the activities log to.
                    options.LoggerFactory = loggers;
                }

                return await DurableTaskTestHost.StartAsync(r => r.AddSyncTasks().AddIngestTasks(), options);
            }
            catch (IOException) when (attempt < Attempts)
            {
            }
        }
    }
}
