using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Mapping;

/// <summary>
/// One resolved mapping: where the value comes from (a source column or a constant) and the attribute it fills. For a
/// lookup, <see cref="PayloadProperty"/> is <c>nav@odata.bind</c> and the value becomes <c>/{set}({key}='v')</c>;
/// <see cref="BindIdAttribute"/> is the related table's primary id (to compare with what Dataverse holds).
/// </summary>
public sealed record AttributeMap(
    LakeColumn? Column,
    JsonNode? Constant,
    AttributeMetadata Attribute,
    string PayloadProperty,
    IReadOnlyDictionary<string, int>? Choices = null,
    string? BindEntitySet = null,
    string? BindKey = null,
    string? BindIdAttribute = null)
{
    public bool IsLookup => BindEntitySet is not null;

    public string Describe() => Column is not null ? $"column '{Column.Name}'" : "constant";
}
