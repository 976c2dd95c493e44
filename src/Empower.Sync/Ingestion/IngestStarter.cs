using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Starting;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask;

namespace Empower.Sync.Ingestion;

/// <summary>Starts ingest runs: of every ingest job whose last run has ended (the timer), or of one by name (HTTP); one run per job at a time.</summary>
public sealed class IngestStarter(JobCatalog catalog, TimeProvider time)
{
    public async Task<IReadOnlyList<StartResult>> StartAllAsync(DurableTaskClient client, CancellationToken cancellationToken = default)
    {
        var (jobs, problems) = await catalog.ListIngestAsync(cancellationToken);
        var results = problems.Select(p => new StartResult(StartStatus.InvalidJob, "", "", Problems: [p])).ToList();
        foreach (var job in jobs)
        {
            results.Add(await StartAsync(client, job, cancellationToken));
        }

        return results;
    }

    /// <summary>Starts a run of the ingest job <paramref name="name"/> (HTTP): unknown, not an ingest job, invalid, already running, or started.</summary>
    public async Task<StartResult> StartAsync(DurableTaskClient client, string name, CancellationToken cancellationToken = default)
    {
        IngestJob? job;
        try
        {
            job = await catalog.FindIngestAsync(name, cancellationToken);
        }
        catch (JobConfigurationException ex)
        {
            return new StartResult(StartStatus.InvalidJob, name, name, Problems: ex.Problems);
        }

        return job is null ? new StartResult(StartStatus.UnknownJob, name, IngestOrchestrator.InstanceId(name))
            : await StartAsync(client, job, cancellationToken);
    }

    private async Task<StartResult> StartAsync(DurableTaskClient client, IngestJob job, CancellationToken cancellationToken)
    {
        string instance = IngestOrchestrator.InstanceId(job.Name);
        if (RunInstances.IsActive(await client.GetInstanceAsync(instance, cancellationToken)))
        {
            return new StartResult(StartStatus.AlreadyRunning, job.Name, instance);
        }

        string run = RunIds.At(time.GetUtcNow());
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(IngestOrchestrator), new IngestRunInput(job, run),
            new StartOrchestrationOptions(instance), cancellationToken);
        return new StartResult(StartStatus.Started, job.Name, instance, run);
    }
}
