using System.Text.Json;
using Empower.Sync.Jobs;

namespace Empower.Sync.Ingestion;

/// <summary>Reads an ingest job file as strictly as a sync job: unknown properties, wrong types and missing fields are errors with their place.</summary>
public static class IngestJobLoader
{
    public static async Task<IngestJob> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new JobConfigurationException(Path.GetFileNameWithoutExtension(path), [$"The job file {Path.GetFullPath(path)} does not exist."]);
        }

        string file = Path.GetFullPath(path);
        return Parse(await File.ReadAllTextAsync(file, cancellationToken), Path.GetFileName(file), Path.GetDirectoryName(file));
    }

    /// <summary>Whether a job file describes ingestion (<c>from</c> and <c>to</c>) rather than a sync (<c>source</c> and <c>target</c>).</summary>
    public static bool IsIngestJob(string path)
    {
        try
        {
            return JobFileKind.IsIngest(File.ReadAllText(path));
        }
        catch (IOException)
        {
            // Not readable: the sync loader reports the file.
            return false;
        }
    }

    /// <summary>Parses an ingest job; a relative local <c>to.path</c> resolves against <paramref name="folder"/>, the job file's folder.</summary>
    public static IngestJob Parse(string json, string source, string? folder = null)
    {
        IngestJob? job;
        try
        {
            job = JsonSerializer.Deserialize<IngestJob>(JobDefinitionLoader.WithoutSchema(json), JobDefinitionLoader.Options);
        }
        catch (JsonException ex)
        {
            throw new JobConfigurationException(source, [JobFileErrors.Explain(ex, json, source,
                v => JsonSerializer.Serialize(v, v.GetType(), JobDefinitionLoader.Options).Trim('"'))]);
        }

        var problems = new List<string>();
        if (job is null)
        {
            throw new JobConfigurationException(source, [$"{source} is empty."]);
        }

        if (job.Name is null || job.From?.Table is null || job.To?.Path is null)
        {
            problems.Add("name, from.table and to.path are required; give each a value.");
        }
        else if (!JobNames.IsValid(job.Name))
        {
            problems.Add(JobNames.Problem(job.Name, "the job's commits and state"));
        }

        if (job.PageSize is < 1 or > 5000)
        {
            problems.Add($"pageSize {job.PageSize} must be between 1 and 5000 (Dataverse pages at most 5,000 records).");
        }

        if (job.MaxDeferrals is < 0 or > 100)
        {
            problems.Add($"maxDeferrals {job.MaxDeferrals} must be between 0 and 100.");
        }

        if (job.From?.Columns?.Any(string.IsNullOrWhiteSpace) == true)
        {
            problems.Add("from.columns holds an empty name; list attribute logical names, or leave it out to take every column.");
        }

        return problems.Count > 0 ? throw new JobConfigurationException(job.Name ?? source, problems)
            : folder is null ? job : job with { To = job.To! with { Path = JobDefinitionLoader.Resolve(job.To!.Path, folder) } };
    }
}
