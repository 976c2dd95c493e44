using Empower.Sync.Pipeline;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Empower.Testing.Durable;

/// <summary>
/// Starts the in-process Durable Task host with the sync tasks. The host picks a random port in 30000–39999 unless
/// told one, which collides with other servers of a parallel test run; so it gets a free port, and another on a clash.
/// </summary>
public static class DurableHosts
{
    public static async Task<DurableTaskTestHost> StartAsync(Action<IServiceCollection> configureServices)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(r => r.AddSyncTasks(), new DurableTaskTestHostOptions
                {
                    Port = LoopbackPorts.Free(),
                    ConfigureServices = configureServices,
                });
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }
    }
}
