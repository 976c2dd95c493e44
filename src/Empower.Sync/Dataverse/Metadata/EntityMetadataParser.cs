using System.Text.Json;

namespace Empower.Sync.Dataverse.Metadata;

/// <summary>Reads <c>EntityDefinitions(LogicalName='x')?$expand=Attributes,Keys,ManyToOneRelationships</c>.</summary>
internal static class EntityMetadataParser
{
    public static EntityMetadata Parse(JsonElement entity)
    {
        var attributes = new Dictionary<string, AttributeMetadata>(StringComparer.OrdinalIgnoreCase);
        if (entity.TryGetProperty("Attributes", out var list))
        {
            foreach (var a in list.EnumerateArray())
            {
                var attribute = ParseAttribute(a);
                attributes[attribute.LogicalName] = attribute;
            }
        }

        var keys = entity.TryGetProperty("Keys", out var k)
            ? k.EnumerateArray().Select(key => new AlternateKeyMetadata(
                key.GetProperty("LogicalName").GetString()!,
                key.GetProperty("KeyAttributes").EnumerateArray().Select(x => x.GetString()!).ToList())).ToList()
            : [];
        var lookups = entity.TryGetProperty("ManyToOneRelationships", out var r)
            ? r.EnumerateArray().Select(rel => new LookupMetadata(
                rel.GetProperty("ReferencingAttribute").GetString()!,
                rel.GetProperty("ReferencedEntity").GetString()!,
                rel.GetProperty("ReferencingEntityNavigationPropertyName").GetString()!)).ToList()
            : [];
        return new EntityMetadata(
            entity.GetProperty("LogicalName").GetString()!,
            entity.GetProperty("EntitySetName").GetString()!,
            entity.GetProperty("PrimaryIdAttribute").GetString()!,
            String(entity, "PrimaryNameAttribute"),
            String(entity, "TableType") == "Elastic",
            attributes,
            keys,
            lookups)
        {
            ChangeTracking = entity.TryGetProperty("ChangeTrackingEnabled", out var tracking) && tracking.ValueKind == JsonValueKind.True,
        };
    }

    private static AttributeMetadata ParseAttribute(JsonElement a)
    {
        var options = a.TryGetProperty("OptionSet", out var set) && set.ValueKind == JsonValueKind.Object && set.TryGetProperty("Options", out var o)
            ? o.EnumerateArray().Select(option => new ChoiceOption(
                option.GetProperty("Value").GetInt32(),
                option.TryGetProperty("Label", out var label) && label.TryGetProperty("UserLocalizedLabel", out var user)
                    && user.ValueKind == JsonValueKind.Object
                    ? user.GetProperty("Label").GetString() ?? ""
                    : "")).ToList()
            : [];
        return new AttributeMetadata(
            a.GetProperty("LogicalName").GetString()!,
            String(a, "AttributeType") ?? "",
            a.TryGetProperty("RequiredLevel", out var level) && level.ValueKind == JsonValueKind.Object ? String(level, "Value") ?? "None" : "None",
            Int(a, "MaxLength"),
            Int(a, "Precision"),
            Decimal(a, "MinValue"),
            Decimal(a, "MaxValue"),
            a.TryGetProperty("DateTimeBehavior", out var behavior) && behavior.ValueKind == JsonValueKind.Object ? String(behavior, "Value") : null,
            a.TryGetProperty("Targets", out var targets) && targets.ValueKind == JsonValueKind.Array
                ? targets.EnumerateArray().Select(t => t.GetString()!).ToList() : [],
            options,
            a.TryGetProperty("IsPrimaryId", out var primary) && primary.ValueKind == JsonValueKind.True);
    }

    private static string? String(JsonElement e, string name) => e.TryGetProperty(name, out var v)
        && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static decimal? Decimal(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
        ? v.GetDecimal() : null;
}
