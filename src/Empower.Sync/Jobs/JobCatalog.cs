using System.Text;
using Empower.Sync.Lake.Storage;
using Microsoft.Extensions.Options;

namespace Empower.Sync.Jobs;

/// <summary>The job files of a deployment: <c>{name}.json</c> under <see cref="JobCatalogOptions.Location"/>.</summary>
public sealed class JobCatalog(IOptions<JobCatalogOptions> options, IOptions<LakeConnectionOptions> lake)
{
    private ILakeStorage Storage => LakeStorageFactory.Create(options.Value.Location, lake.Value);

    /// <summary>The job, or null when there is no such file.</summary>
    /// <exception cref="JobConfigurationException">The file is not a valid sync job.</exception>
    public async Task<JobDefinition?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        await TextAsync(name, cancellationToken) is { } json ? Sync(name, json) : null;

    /// <summary>Every valid sync job; files that are not valid jobs are returned as problems, not thrown; ingest jobs are not listed.</summary>
    public async Task<(IReadOnlyList<JobDefinition> Jobs, IReadOnlyList<string> Problems)> ListAsync(CancellationToken cancellationToken = default)
    {
        var jobs = new List<JobDefinition>();
        var problems = new List<string>();
        foreach (var (name, json) in await FilesAsync(cancellationToken))
        {
            if (JobFileKind.IsIngest(json))
            {
                continue;
            }

            try
            {
                jobs.Add(Sync(name, json));
            }
            catch (JobConfigurationException ex)
            {
                problems.Add(ex.Message);
            }
        }

        return (jobs, problems);
    }

    /// <summary>The text of <c>{name}.json</c>, or null when there is no such file.</summary>
    public async Task<string?> TextAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ReadAsync($"{name}.json", cancellationToken);
        }
        catch (LakeFileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A job file is named after its job: <c>{name}.json</c> holds the job <paramref name="name"/>.</summary>
    /// <exception cref="JobConfigurationException">It holds another.</exception>
    public static void EnsureNamed(string name, string job)
    {
        if (job != name)
        {
            throw new JobConfigurationException(name, [$"{name}.json names the job '{job}'; a job file is named after its job."]);
        }
    }

    /// <summary>The text of every top-level <c>.json</c> file, by job name (the file name without <c>.json</c>).</summary>
    public async Task<IReadOnlyList<(string Name, string Json)>> FilesAsync(CancellationToken cancellationToken = default)
    {
        var files = new List<(string, string)>();
        await foreach (var file in Storage.ListAsync("", cancellationToken))
        {
            if (file.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !file.Path.Contains('/'))
            {
                files.Add((file.Path[..^5], await ReadAsync(file.Path, cancellationToken)));
            }
        }

        return files;
    }

    private static JobDefinition Sync(string name, string json)
    {
        if (JobFileKind.IsIngest(json))
        {
            throw new JobConfigurationException(name, [$"{name}.json is an ingest job (from/to), not a sync: the ingest timer runs it, and empower " +
                $"ingest runs it locally."]);
        }

        var job = JobDefinitionLoader.Parse(json, $"{name}.json");
        EnsureNamed(name, job.Name);
        return job;
    }

    private async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = await Storage.OpenReadAsync(path, cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
