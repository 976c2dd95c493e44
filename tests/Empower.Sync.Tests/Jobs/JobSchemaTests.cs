using System.Reflection;
using System.Text.Json;
using Empower.Sync.Ingestion;
using Empower.Sync.Jobs;
using Empower.Testing;

namespace Empower.Sync.Tests.Jobs;

/// <summary>docs/job-schema.json describes exactly the properties the loaders accept, for sync and for ingest jobs.</summary>
public sealed class JobSchemaTests
{
    public static TheoryData<string, string, Type> Objects => new()
    {
        { "syncJob", "", typeof(JobDefinition) },
        { "syncJob", "source", typeof(JobSource) },
        { "syncJob", "target", typeof(JobTarget) },
        { "syncJob", "match", typeof(JobMatch) },
        { "syncJob", "columns", typeof(ColumnMapping) },
        { "syncJob", "failedRows", typeof(FailedRowsSettings) },
        { "ingestJob", "", typeof(IngestJob) },
        { "ingestJob", "from", typeof(IngestSource) },
        { "ingestJob", "to", typeof(IngestTarget) },
    };

    [Theory]
    [MemberData(nameof(Objects))]
    public void Schema_properties_match_the_job_records(string kind, string path, Type type)
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "job-schema.json")));
        var node = schema.RootElement.GetProperty("$defs").GetProperty(kind);
        if (path.Length > 0)
        {
            node = node.GetProperty("properties").GetProperty(path);
            if (node.TryGetProperty("items", out var items))
            {
                node = items;
            }
        }

        var documented = node.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order();
        // A job file may name its schema for editors; the loader skips it.
        var accepted = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Concat(path.Length == 0 ? ["$schema"] : []).Order();

        Assert.Equal(accepted, documented);
    }
}
