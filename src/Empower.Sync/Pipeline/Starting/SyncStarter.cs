using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Running;
using Empower.Sync.Pipeline.Runtime;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Empower.Sync.Pipeline.Starting;

/// <summary>
/// Starts runs for the triggers: by name (HTTP), for scheduled jobs (timer), for jobs reading a table that just got a
/// commit (blob event). One run per job at a time: the instance id is the job's name, and a start while it runs is
/// refused — except for a new commit, which is sent to the running run: it continues as a new run when it finishes.
/// </summary>
public sealed class SyncStarter(JobCatalog catalog, IOptions<PipelineOptions> options, TimeProvider time)
{
    public async Task<StartResult> StartAsync(DurableTaskClient client, string job, string? runId = null, CancellationToken cancellationToken = default,
        bool full = false, bool resend = false)
    {
        if (runId is not null && RunIds.Problem(runId) is { } problem)
        {
            return new StartResult(StartStatus.InvalidRunId, job, job, runId, [problem]);
        }

        JobDefinition? definition;
        try
        {
            definition = await catalog.FindAsync(job, cancellationToken);
        }
        catch (JobConfigurationException ex)
        {
            return new StartResult(StartStatus.InvalidJob, job, job, Problems: ex.Problems);
        }

        return definition is null
            ? new StartResult(StartStatus.UnknownJob, job, job)
            : await StartAsync(client, definition, runId, cancellationToken, full: full, resend: resend);
    }

    public async Task<StartResult> StartAsync(
        DurableTaskClient client, JobDefinition job, string? runId, CancellationToken cancellationToken, long? commit = null,
            bool full = false, bool resend = false)
    {
        if (RunInstances.IsActive(await client.GetInstanceAsync(job.Name, cancellationToken)))
        {
            if (commit is { } version)
            {
                await client.RaiseEventAsync(job.Name, RunEvents.NewCommit, version, cancellationToken);
                return new StartResult(StartStatus.QueuedAfterRun, job.Name, job.Name);
            }

            return new StartResult(StartStatus.AlreadyRunning, job.Name, job.Name);
        }

        string run = runId ?? RunIds.At(time.GetUtcNow());
        await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(SyncRunOrchestrator), new SyncRunInput(job, run, options.Value.UsePrincipalsEntity, full, Resend: resend),
                new StartOrchestrationOptions(job.Name), cancellationToken);
        return new StartResult(StartStatus.Started, job.Name, job.Name, run);
    }

    /// <summary>Starts every job whose schedule is <c>nightly</c>.</summary>
    public async Task<IReadOnlyList<StartResult>> StartScheduledAsync(DurableTaskClient client, CancellationToken cancellationToken = default)
    {
        var (jobs, _) = await catalog.ListAsync(cancellationToken);
        var results = new List<StartResult>();
        foreach (var job in jobs.Where(j => j.Schedule == "nightly"))
        {
            results.Add(await StartAsync(client, job, null, cancellationToken));
        }

        return results;
    }

    /// <summary>
    /// Starts the jobs with <c>onNewCommit</c> whose source is the table of <paramref name="commitUrl"/>
    /// (<c>.../table/_delta_log/00000000000000000012.json</c>); other files in the log are ignored.
    /// </summary>
    public async Task<IReadOnlyList<StartResult>> StartForCommitAsync(DurableTaskClient client, string commitUrl, CancellationToken cancellationToken = default)
    {
        int log = commitUrl.LastIndexOf("/_delta_log/", StringComparison.Ordinal);
        string file = commitUrl[(commitUrl.LastIndexOf('/') + 1)..];
        if (log < 0 || file.Length != 25 || !file.EndsWith(".json", StringComparison.Ordinal) || !file[..20].All(char.IsAsciiDigit))
        {
            return [];
        }

        string table = Normalize(commitUrl[..log]);
        long version = long.Parse(file[..20], System.Globalization.CultureInfo.InvariantCulture);
        var (jobs, _) = await catalog.ListAsync(cancellationToken);
        var results = new List<StartResult>();
        foreach (var job in jobs.Where(j => j.OnNewCommit && Normalize(j.Source.Path) == table))
        {
            results.Add(await StartAsync(client, job, null, cancellationToken, version));
        }

        return results;
    }

    /// <summary>abfss://c@a.dfs.core.windows.net/p and https://a.blob.core.windows.net/c/p name the same table.</summary>
    private static string Normalize(string location)
    {
        var parsed = Lake.Storage.LakeLocation.Parse(location);
        return parsed.IsLocal
            ? Path.GetFullPath(parsed.LocalPath!).TrimEnd('/')
            : $"{parsed.AccountEndpoint!.AbsoluteUri.TrimEnd('/')}/{parsed.Container}/{parsed.Path.Trim('/')}".ToLowerInvariant();
    }
}
