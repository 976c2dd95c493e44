using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace Empower.Sync.Ingestion;

/// <summary>The ingest orchestrator and activity for any Durable Task worker, and the starter the ingest timer uses.</summary>
public static class IngestRegistration
{
    public static DurableTaskRegistry AddIngestTasks(this DurableTaskRegistry registry) => registry
        .AddOrchestrator<IngestOrchestrator>()
        .AddActivity<IngestActivity>();

    /// <summary>Needs the job catalog (<c>AddEmpowerTriggers</c>).</summary>
    public static IServiceCollection AddIngestTriggers(this IServiceCollection services)
        => services.AddSingleton<IngestStarter>().AddSingleton<IngestActivity>();
}
