namespace Empower.Sync.Dataverse.Metadata;

/// <summary>A Dataverse table's metadata: names, columns, alternate keys and lookups.</summary>
public sealed record EntityMetadata(
    string LogicalName,
    string EntitySetName,
    string PrimaryIdAttribute,
    string? PrimaryNameAttribute,
    bool IsElastic,
    IReadOnlyDictionary<string, AttributeMetadata> Attributes,
    IReadOnlyList<AlternateKeyMetadata> Keys,
    IReadOnlyList<LookupMetadata> Lookups)
{
    /// <summary>Track changes is on (<c>ChangeTrackingEnabled</c>): reads can return a delta link, which ingestion needs.</summary>
    public bool ChangeTracking { get; init; }

    public AlternateKeyMetadata? FindKey(IEnumerable<string> attributes)
    {
        var wanted = attributes.Order(StringComparer.OrdinalIgnoreCase).ToList();
        return Keys.FirstOrDefault(k => k.Attributes.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(wanted, StringComparer.OrdinalIgnoreCase));
    }
}
