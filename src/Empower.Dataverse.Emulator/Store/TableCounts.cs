namespace Empower.Dataverse.Emulator.Store;

/// <summary>Records created, updated and deleted per table within one unit of work.</summary>
public sealed class TableCounts
{
    private readonly Dictionary<string, (long Created, long Updated, long Deleted)> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, long>> _updatedAttributes = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, (long Created, long Updated, long Deleted)> ByTable => _counts;

    public void Add(string table, long created = 0, long updated = 0, long deleted = 0)
    {
        var current = _counts.GetValueOrDefault(table);
        _counts[table] = (current.Created + created, current.Updated + updated, current.Deleted + deleted);
    }

    /// <summary>How often each attribute was set by an update, per table: shows whether clients send only what changed.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, long>> UpdatedAttributes => _updatedAttributes;

    public void AddUpdatedAttributes(string table, IEnumerable<string> attributes, long times = 1)
    {
        var counts = _updatedAttributes.TryGetValue(table, out var existing) ? existing : _updatedAttributes[table] = new(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            counts[attribute] = counts.GetValueOrDefault(attribute) + times;
        }
    }

    public void Clear()
    {
        _counts.Clear();
        _updatedAttributes.Clear();
    }

    public void AddAll(TableCounts other)
    {
        foreach (var (table, (created, updated, deleted)) in other._counts)
        {
            Add(table, created, updated, deleted);
        }

        foreach (var (table, attributes) in other._updatedAttributes)
        {
            foreach (var (attribute, times) in attributes)
            {
                AddUpdatedAttributes(table, [attribute], times);
            }
        }
    }
}
