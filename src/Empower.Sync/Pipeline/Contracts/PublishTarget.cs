using System.IO.Hashing;
using System.Text.Json;
using System.Text.Json.Serialization;
using Empower.Sync.Jobs;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// Where a job's rows go and what shapes them: the Dataverse environment (scheme and host of the org URL), the table,
/// and a hash of the job settings that decide what each row sends (mode, match, columns, null handling). Watermarks
/// record it, because what was published to another environment or table says nothing about what this one holds, and
/// rows published with another mapping lack what the new mapping sends.
/// </summary>
public sealed record PublishTarget(string Environment, string Table, string Definition)
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public static PublishTarget Of(JobDefinition job, Uri serviceRoot) =>
        new(serviceRoot.GetLeftPart(UriPartial.Authority).ToLowerInvariant(), job.Target.Table.ToLowerInvariant(), DefinitionHash(job));

    /// <summary>True when rows published to <paramref name="other"/> landed somewhere else than this target's table.</summary>
    public bool IsOtherTableThan(PublishTarget other) =>
        !string.Equals(Environment, other.Environment, StringComparison.Ordinal) || !string.Equals(Table, other.Table, StringComparison.Ordinal);

    public override string ToString() => $"table {Table} in {Environment}";

    private static string DefinitionHash(JobDefinition job)
    {
        byte[] definition = JsonSerializer.SerializeToUtf8Bytes(new { job.Mode, job.Match, job.Columns, job.Nulls }, Json);
        return Convert.ToHexStringLower(XxHash64.Hash(definition));
    }
}
