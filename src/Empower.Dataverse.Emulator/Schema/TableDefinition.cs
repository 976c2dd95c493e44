namespace Empower.Dataverse.Emulator.Schema;

public sealed class TableDefinition
{
    /// <summary>Columns every table has besides its attributes, maintained by the store.</summary>
    public static readonly string[] SystemColumns = ["createdon", "modifiedon", "versionnumber"];

    public required string LogicalName { get; init; }
    public required string EntitySetName { get; init; }
    public string? DisplayName { get; init; }
    public required string PrimaryIdAttribute { get; init; }
    public required string PrimaryNameAttribute { get; init; }
    public required IReadOnlyDictionary<string, AttributeDefinition> Attributes { get; init; }
    public IReadOnlyList<AlternateKeyDefinition> Keys { get; init; } = [];

    /// <summary>Track changes (<c>ChangeTrackingEnabled</c>): deletes leave a tombstone, and reads can return a delta link.</summary>
    public bool ChangeTracking { get; init; }

    /// <summary>The SQL table holding the ids and versions of deleted records, for change tracking.</summary>
    public string TombstoneTable => $"{LogicalName}$deleted";

    public AttributeDefinition? FindAttribute(string logicalName) =>
        Attributes.TryGetValue(logicalName, out var attribute) ? attribute : null;

    public AttributeDefinition? FindLookupByNavigationProperty(string navigationProperty) =>
        Attributes.Values.FirstOrDefault(a => a.Type == AttributeType.Lookup &&
            string.Equals(a.EffectiveNavigationProperty, navigationProperty, StringComparison.Ordinal));

    /// <summary>Finds the key whose attributes are exactly <paramref name="attributes"/> (order-insensitive).</summary>
    public AlternateKeyDefinition? FindKey(IEnumerable<string> attributes)
    {
        var wanted = attributes.Order(StringComparer.Ordinal).ToArray();
        return Keys.FirstOrDefault(k => k.Attributes.Order(StringComparer.Ordinal).SequenceEqual(wanted, StringComparer.Ordinal));
    }
}
