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
    LakeColumn? PrimaryIdColumn);
