namespace Empower.Dataverse.Emulator.Store;

/// <summary>Records created, updated and deleted per table within one unit of work.</summary>
public sealed class TableCounts
{
    private readonly Dictionary<string, (long Created, long Updated, long Deleted)> _counts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, (long Created, long Updated, long Deleted)> ByTable => _counts;

    public void Add(string table, long created = 0, long updated = 0, long deleted = 0)
    {
        var current = _counts.GetValueOrDefault(table);
        _counts[table] = (current.Created + created, current.Updated + updated, current.Deleted + deleted);
    }

    public void Clear() => _counts.Clear();

    public void AddAll(TableCounts other)
    {
        foreach (var (table, (created, updated, deleted)) in other._counts)
        {
            Add(table, created, updated, deleted);
        }
    }
}
