using System.Text;
using Empower.Sync.Lake.Storage;
using Microsoft.Extensions.Options;

namespace Empower.Sync.Jobs;

/// <summary>The job files of a deployment: <c>{name}.json</c> under <see cref="JobCatalogOptions.Location"/>.</summary>
public sealed class JobCatalog(IOptions<JobCatalogOptions> options, IOptions<LakeConnectionOptions> lake)
{
    private ILakeStorage Storage => LakeStorageFactory.Create(options.Value.Location, lake.Value);

    /// <summary>The job, or null when there is no such file.</summary>
    /// <exception cref="JobConfigurationException">The file is not a valid job.</exception>
    public async Task<JobDefinition?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var stream = await Storage.OpenReadAsync($"{name}.json", cancellationToken);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var job = JobDefinitionLoader.Parse(await reader.ReadToEndAsync(cancellationToken), $"{name}.json");
            return job.Name == name
                ? job
                : throw new JobConfigurationException(name, [$"{name}.json names the job '{job.Name}'; a job file is named after its job."]);
        }
        catch (LakeFileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Every valid job; files that are not valid jobs are returned as problems, not thrown.</summary>
    public async Task<(IReadOnlyList<JobDefinition> Jobs, IReadOnlyList<string> Problems)> ListAsync(CancellationToken cancellationToken = default)
    {
        var jobs = new List<JobDefinition>();
        var problems = new List<string>();
        await foreach (var file in Storage.ListAsync("", cancellationToken))
        {
            if (!file.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || file.Path.Contains('/'))
            {
                continue;
            }

            try
            {
                if (await FindAsync(file.Path[..^5], cancellationToken) is { } job)
                {
                    jobs.Add(job);
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
