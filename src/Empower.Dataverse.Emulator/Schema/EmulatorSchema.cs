namespace Empower.Dataverse.Emulator.Schema;

/// <summary>The tables the emulator serves, by logical name and by entity set name.</summary>
public sealed class EmulatorSchema
{
    private readonly Dictionary<string, TableDefinition> _byLogicalName;
    private readonly Dictionary<string, TableDefinition> _byEntitySet;

    public EmulatorSchema(IEnumerable<TableDefinition> tables)
    {
        Tables = tables.ToList();
        _byLogicalName = Tables.ToDictionary(t => t.LogicalName, StringComparer.Ordinal);
        _byEntitySet = Tables.ToDictionary(t => t.EntitySetName, StringComparer.Ordinal);
    }

    public IReadOnlyList<TableDefinition> Tables { get; }

    public TableDefinition? FindByLogicalName(string logicalName) =>
        _byLogicalName.TryGetValue(logicalName, out var table) ? table : null;

    public TableDefinition? FindByEntitySet(string entitySetName) =>
        _byEntitySet.TryGetValue(entitySetName, out var table) ? table : null;
}
