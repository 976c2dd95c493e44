using System.Globalization;
using Empower.Shared;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Dataverse.Writing;

namespace Empower.Sync.Mapping;

/// <summary>
/// What identifies a record in Dataverse: its id when it has one, else its alternate key's values (JSON, joined by
/// <c>|</c>). Rows with equal keys write the same record.
/// </summary>
internal static class RecordKey
{
    private static readonly StringComparer AccentInsensitive = new FoldingComparer();

    /// <summary>
    /// How keys compare: as the org's collation does — ignoring case always (Dataverse's SQL collations are all case-insensitive) and
    /// accents unless the org's language is accent-sensitive — so rows whose keys the org finds equal are one record: duplicates within a
    /// run, and the same entry of the published state.
    /// </summary>
    public static StringComparer ComparerFor(KeyCollation collation) =>
        collation == KeyCollation.AccentInsensitive ? AccentInsensitive : StringComparer.OrdinalIgnoreCase;

    /// <summary>The key as <see cref="ComparerFor"/> compares it: keys it finds equal fold to the same text.</summary>
    public static string Fold(string key, KeyCollation collation) => TextFolding.Fold(key, collation == KeyCollation.AccentInsensitive);

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

    private sealed class FoldingComparer : StringComparer
    {
        public override int Compare(string? x, string? y) =>
            x is null || y is null ? string.CompareOrdinal(x, y) : TextFolding.Compare(x, y, accentInsensitive: true);

        public override bool Equals(string? x, string? y) => Compare(x, y) == 0;

        // Equal keys fold to the same text; ASCII keys hash ignoring case as they are, without allocating their folded copy.
        public override int GetHashCode(string key) =>
            StringComparer.OrdinalIgnoreCase.GetHashCode(System.Text.Ascii.IsValid(key) ? key : TextFolding.Fold(key, accentInsensitive: true));
    }
}
