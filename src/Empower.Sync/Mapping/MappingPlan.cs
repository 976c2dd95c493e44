using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Mapping;

/// <summary>A validated job against one source table and the target's metadata: what every row turns into.</summary>
public sealed record MappingPlan(
    JobDefinition Job,
    EntityMetadata Target,
    IReadOnlyList<AttributeMap> Attributes,
    IReadOnlyList<string>? KeyAttributes,
    LakeColumn? PrimaryIdColumn)
{
    /// <summary>How the target org compares key text; the client's setting (<c>Empower:Dataverse:KeyCollation</c>).</summary>
    public KeyCollation KeyCollation { get; init; } = DataverseDefaults.KeyCollation;
}
