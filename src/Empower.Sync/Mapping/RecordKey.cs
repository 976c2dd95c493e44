using System.Globalization;
using Empower.Sync.Dataverse.Writing;

namespace Empower.Sync.Mapping;

/// <summary>
/// What identifies a record in Dataverse: its id when it has one, else its alternate key's values (JSON, joined by
/// <c>|</c>). Rows with equal keys write the same record.
/// </summary>
internal static class RecordKey
{
    /// <summary>
    /// How keys compare: ignoring case, as Dataverse does (its SQL collations are all case-insensitive), so rows whose
    /// keys differ only in case are one record — duplicates within a run, and the same entry of the published state.
    /// </summary>
    public static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

    public static string Of(MappingPlan plan, RecordToWrite record) =>
        record.Id?.ToString("D")
        ?? (plan.KeyAttributes is { } keys
            ? string.Join("|", keys.Select(k => record.Attributes[k]?.ToJsonString(ReadableJson.Options) ?? "null"))
            : record.RowId.ToString(CultureInfo.InvariantCulture));

    /// <summary>The key as a JSON object: the alternate key's attributes, or the primary id (null when the row has neither).</summary>
    public static string? ValuesOf(MappingPlan plan, RecordToWrite record)
    {
        if (record.Id is { } id && (plan.KeyAttributes is null || plan.Job.Mode == Jobs.JobMode.Upsert))
        {
            return new System.Text.Json.Nodes.JsonObject { [plan.Target.PrimaryIdAttribute] = id.ToString("D") }.ToJsonString(ReadableJson.Options);
        }

        return plan.KeyAttributes is { } keys
            ? new System.Text.Json.Nodes.JsonObject(keys.Select(k => KeyValuePair.Create(k,
                record.Attributes[k]?.DeepClone()))).ToJsonString(ReadableJson.Options)
            : null;
    }

    /// <summary>Whether two rows of a run can name the same record at all (they cannot when every row gets its own key).</summary>
    public static bool CanRepeat(MappingPlan plan) => plan.KeyAttributes is not null || plan.PrimaryIdColumn is not null;

    /// <summary>The plan reduced to what <see cref="Of"/> needs, so keys can be computed reading only the key columns.</summary>
    public static MappingPlan KeysOnly(MappingPlan plan) =>
        plan with { Attributes = [.. plan.Attributes.Where(a => a.Column is not null
            && plan.KeyAttributes?.Contains(a.Attribute.LogicalName, StringComparer.OrdinalIgnoreCase) == true)] };
}
