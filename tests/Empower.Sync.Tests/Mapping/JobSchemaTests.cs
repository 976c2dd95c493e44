using System.Reflection;
using System.Text.Json;
using Empower.Sync.Jobs;
using Empower.Testing;

namespace Empower.Sync.Tests.Mapping;

/// <summary>docs/job-schema.json describes exactly the properties the loader accepts.</summary>
public sealed class JobSchemaTests
{
    public static TheoryData<string, Type> Objects => new()
    {
        { "", typeof(JobDefinition) },
        { "source", typeof(JobSource) },
        { "target", typeof(JobTarget) },
        { "match", typeof(JobMatch) },
        { "columns", typeof(ColumnMapping) },
        { "failedRows", typeof(FailedRowsSettings) },
    };

    [Theory]
    [MemberData(nameof(Objects))]
    public void Schema_properties_match_the_job_records(string path, Type type)
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "job-schema.json")));
        var node = schema.RootElement;
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
