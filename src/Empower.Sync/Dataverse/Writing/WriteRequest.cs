using Empower.Sync.Dataverse.Metadata;

namespace Empower.Sync.Dataverse.Writing;

/// <summary>Where and how to write: the table, the mode, and for Upsert the alternate key's columns (null = primary id).</summary>
public sealed record WriteRequest(EntityMetadata Table, WriteMode Mode, IReadOnlyList<string>? KeyAttributes = null)
{
    public bool ByKey => Mode == WriteMode.Upsert && KeyAttributes is { Count: > 0 };
}
