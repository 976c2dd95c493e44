using Empower.Sync.Jobs;

namespace Empower.Sync.Ingestion;

/// <summary>The ingest jobs among a deployment's job files (those with <c>from</c>/<c>to</c>).</summary>
internal static class IngestCatalog
{
    /// <summary>Every valid ingest job; files that are not valid are returned as problems, not thrown; sync jobs are not listed.</summary>
    public static async Task<(IReadOnlyList<IngestJob> Jobs, IReadOnlyList<string> Problems)> ListIngestAsync(this JobCatalog catalog,
        CancellationToken cancellationToken = default)
    {
        var jobs = new List<IngestJob>();
        var problems = new List<string>();
        foreach (var (name, json) in await catalog.FilesAsync(cancellationToken))
        {
            if (!JobFileKind.IsIngest(json))
            {
                continue;
            }

            try
            {
                jobs.Add(Ingest(name, json));
            }
            catch (JobConfigurationException ex)
            {
                problems.Add(ex.Message);
            }
        }

        return (jobs, problems);
    }

    /// <summary>The ingest job, or null when there is no such file.</summary>
    /// <exception cref="JobConfigurationException">The file is a sync job, or not a valid ingest job.</exception>
    public static async Task<IngestJob?> FindIngestAsync(this JobCatalog catalog, string name, CancellationToken cancellationToken = default) =>
        await catalog.TextAsync(name, cancellationToken) is { } json ? Ingest(name, json) : null;

    private static IngestJob Ingest(string name, string json)
    {
        if (!JobFileKind.IsIngest(json))
        {
            throw new JobConfigurationException(name, [$"{name}.json is a sync job (source/target): start it with POST /api/syncs/{name}."]);
        }

        var job = IngestJobLoader.Parse(json, $"{name}.json");
        JobCatalog.EnsureNamed(name, job.Name);
        return job;
    }
}
