using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Dataverse.Metadata;

namespace Empower.Sync.Dataverse.Writing;

/// <summary>
/// Where and how to write: the table, the mode, for Upsert the alternate key's columns (null = primary id), and a
/// batch size for this job (null = the client's setting for the table).
/// </summary>
internal sealed record WriteRequest(EntityMetadata Table, WriteMode Mode, IReadOnlyList<string>? KeyAttributes = null, int? BatchSize = null)
{
    public bool ByKey => Mode == WriteMode.Upsert && KeyAttributes is { Count: > 0 };

    /// <summary>Records per request: the job's <c>batchSize</c>, else the client's setting for the table's kind (standard or elastic).</summary>
    public int BatchSizeIn(DataverseOptions options) => BatchSize ?? (Table.IsElastic ? options.ElasticBatchSize : options.BatchSize);
}
