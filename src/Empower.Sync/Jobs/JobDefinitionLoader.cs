using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Empower.Sync.Dataverse.Configuration;

namespace Empower.Sync.Jobs;

/// <summary>Reads a job file strictly: unknown properties, wrong types and missing required fields are errors with their place.</summary>
public static partial class JobDefinitionLoader
{
    internal static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JobEnumConverter() },
    };

    public static async Task<JobDefinition> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new JobConfigurationException(Path.GetFileNameWithoutExtension(path), [$"The job file {Path.GetFullPath(path)} does not exist."]);
        }

        string file = Path.GetFullPath(path);
        return Parse(await File.ReadAllTextAsync(file, cancellationToken), Path.GetFileName(file), Path.GetDirectoryName(file));
    }

    /// <summary>A job setting's value as job files spell it (<c>lake-state</c>, <c>upsert</c>), for reports and logs.</summary>
    public static string NameOf<T>(T value)
        where T : struct, Enum => JsonSerializer.Serialize(value, Options).Trim('"');

    /// <summary>
    /// Parses a job; relative local paths in it (<c>source.path</c>, <c>failedRows.path</c>) resolve against
    /// <paramref name="folder"/>, the job file's folder, so a job means the same wherever the command runs.
    /// </summary>
    public static JobDefinition Parse(string json, string source, string? folder = null)
    {
        JobDefinition? job;
        try
        {
            job = JsonSerializer.Deserialize<JobDefinition>(WithoutSchema(json), Options);
        }
        catch (JsonException ex)
        {
            throw new JobConfigurationException(source, [JobFileErrors.Explain(ex, json, source,
                v => JsonSerializer.Serialize(v, v.GetType(), Options).Trim('"'))]);
        }

        if (job is null)
        {
            throw new JobConfigurationException(source, [$"{source} is empty."]);
        }

        var problems = Check(job);
        return problems.Count > 0 ? throw new JobConfigurationException(job.Name ?? source, problems) : folder is null ? job : job with
        {
            Source = job.Source with { Path = Resolve(job.Source.Path, folder) },
            FailedRows = job.FailedRows?.Path is { } failed ? job.FailedRows with { Path = Resolve(failed, folder) } : job.FailedRows,
        };
    }

    /// <summary><paramref name="path"/> against <paramref name="folder"/> when it is a relative local path; URLs and absolute paths as they are.</summary>
    public static string Resolve(string path, string folder) =>
        string.IsNullOrWhiteSpace(path) || Path.IsPathRooted(path) || path.Contains("://", StringComparison.Ordinal) ? path
            : Path.GetFullPath(Path.Combine(folder, path));

    /// <summary>
    /// Required values set to JSON <c>null</c>: the serializer lets them through as null, so they are named here before
    /// anything reads them.
    /// </summary>
    private static List<string> Nulls(JobDefinition job)
    {
        var problems = new List<string>();
        void Require(object? value, string what)
        {
            if (value is null)
            {
                problems.Add($"{what} is null; give it a value.");
            }
        }

        Require(job.Name, "name");
        Require(job.Source, "source");
        Require(job.Source?.Path, "source.path");
        Require(job.Target, "target");
        Require(job.Target?.Table, "target.table");
        Require(job.Columns, "columns");
        for (int i = 0; i < (job.Columns?.Count ?? 0); i++)
        {
            var column = job.Columns![i];
            Require(column, $"columns[{i}]");
            if (column?.Lookup is { } lookup)
            {
                Require(lookup.Attribute, $"columns[{i}].lookup.attribute");
                Require(lookup.Table, $"columns[{i}].lookup.table");
                Require(lookup.Key, $"columns[{i}].lookup.key");
                for (int k = 0; k < (lookup.Key?.Count ?? 0); k++)
                {
                    Require(lookup.Key![k], $"columns[{i}].lookup.key[{k}]");
                }
            }
        }

        for (int k = 0; k < (job.Match?.Key?.Count ?? 0); k++)
        {
            Require(job.Match!.Key![k], $"match.key[{k}]");
        }

        return problems;
    }

    /// <summary>What can be checked without the lake or Dataverse.</summary>
    private static List<string> Check(JobDefinition job)
    {
        var problems = Nulls(job);
        if (problems.Count > 0)
        {
            return problems;
        }

        if (!JobNames.IsValid(job.Name))
        {
            problems.Add(JobNames.Problem(job.Name, "the run's instance and folders"));
        }

        if (job.Columns.Count == 0)
        {
            problems.Add("columns is empty: map at least one source column to an attribute.");
        }

        for (int i = 0; i < job.Columns.Count; i++)
        {
            var column = job.Columns[i];
            string at = $"columns[{i}]";
            if ((column.Source is null) == (column.Constant is null))
            {
                problems.Add($"{at} needs exactly one of 'source' (a column) or 'constant' (a value).");
            }

            if ((column.Attribute is null) == (column.Lookup is null))
            {
                problems.Add($"{at} ({column.Describe()}) needs exactly one of 'attribute' or 'lookup'.");
            }
        }

        if (job.Mode == JobMode.Upsert && job.Match is null)
        {
            problems.Add("mode 'upsert' needs 'match': { \"key\": [\"<alternate key attribute>\"] } or { \"primaryId\": \"<source column>\" }.");
        }

        if (job.Match is { PrimaryId: null, Key: null or { Count: 0 } })
        {
            problems.Add("match needs 'primaryId' (a source column with record ids), 'key' (alternate key attributes), or both (id when present, else key).");
        }

        if (job.BatchSize is < 1 or > DataverseDefaults.MaxBatchSize)
        {
            problems.Add($"batchSize {job.BatchSize} must be between 1 and {DataverseDefaults.MaxBatchSize}.");
        }

        if (job.MaxDeferrals is < 0 or > 100)
        {
            problems.Add($"maxDeferrals {job.MaxDeferrals} must be between 0 and 100.");
        }

        if (job.Schedule is not null and not "nightly")
        {
            problems.Add($"schedule '{job.Schedule}' is not known; use \"nightly\" or leave it out.");
        }

        if (job.Source.Version is not null && job.Source.Format == SourceFormat.Parquet)
        {
            problems.Add("source.version applies to Delta tables only.");
        }

        if (job.ChangeDetection == ChangeDetectionMode.TargetCompare && job.Mode == JobMode.Insert)
        {
            problems.Add("changeDetection 'target-compare' needs mode 'upsert' (insert creates records; there is nothing to compare with).");
        }

        return problems;
    }

    /// <summary>
    /// A top-level <c>"$schema"</c> (what an editor validates the file against) is not part of the job. Blanked in place,
    /// so positions in error messages stay those of the file.
    /// </summary>
    internal static string WithoutSchema(string json)
    {
        var schema = SchemaProperty().Match(json).Groups["schema"];
        if (!schema.Success)
        {
            return json;
        }

        var blanked = json.ToCharArray();
        for (int i = schema.Index; i < schema.Index + schema.Length; i++)
        {
            blanked[i] = blanked[i] is '\n' or '\r' ? blanked[i] : ' ';
        }

        return new string(blanked);
    }

    [GeneratedRegex("""\A\s*\{\s*(?<schema>"\$schema"\s*:\s*"(?:[^"\\]|\\.)*"\s*,?)""")]
    private static partial Regex SchemaProperty();
}
