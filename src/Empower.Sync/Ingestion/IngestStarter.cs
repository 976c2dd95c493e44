using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Starting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Empower.Sync.Ingestion;

/// <summary>Starts a run of every ingest job in the catalog whose last run has ended (the ingest timer); one run per job at a time.</summary>
public sealed class IngestStarter(JobCatalog catalog, TimeProvider time)
{
    public async Task<IReadOnlyList<StartResult>> StartAllAsync(DurableTaskClient client, CancellationToken cancellationToken = default)
    {
        var (jobs, problems) = await catalog.ListIngestAsync(cancellationToken);
        var results = problems.Select(p => new StartResult(StartStatus.InvalidJob, "", "", Problems: [p])).ToList();
        foreach (var job in jobs)
        {
            string instance = IngestOrchestrator.InstanceId(job.Name);
            var existing = await client.GetInstanceAsync(instance, cancellationToken);
            if (existing?.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended)
            {
                results.Add(new StartResult(StartStatus.AlreadyRunning, job.Name, instance));
                continue;
            }

            string run = RunIds.At(time.GetUtcNow());
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(IngestOrchestrator), new IngestRunInput(job, run), new StartOrchestrationOptions(instance), cancellationToken);
            results.Add(new StartResult(StartStatus.Started, job.Name, instance, run));
        }

        return results;
    }
}
