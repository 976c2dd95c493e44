using Empower.Sync.Jobs;

namespace Empower.Sync.Ingestion;

/// <summary>The ingest jobs among a deployment's job files (those with <c>from</c>/<c>to</c>); files that are not valid are problems, not thrown.</summary>
public static class IngestCatalog
{
    public static async Task<(IReadOnlyList<IngestJob> Jobs, IReadOnlyList<string> Problems)> ListIngestAsync(this JobCatalog catalog, CancellationToken cancellationToken = default)
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
                var job = IngestJobLoader.Parse(json, $"{name}.json");
                if (job.Name == name)
                {
                    jobs.Add(job);
                }
                else
                {
                    problems.Add($"{name}.json names the job '{job.Name}'; a job file is named after its job.");
                }
            }
            catch (JobConfigurationException ex)
            {
                problems.Add(ex.Message);
            }
        }

        return (jobs, problems);
    }
}
