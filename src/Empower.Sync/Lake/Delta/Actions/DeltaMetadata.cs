namespace Empower.Sync.Lake.Delta.Actions;

/// <summary>The table's metadata: schema, partition columns and table properties.</summary>
internal sealed record DeltaMetadata(
    string Id,
    string SchemaString,
    IReadOnlyList<string> PartitionColumns,
    IReadOnlyDictionary<string, string?> Configuration) : DeltaAction
{
    public string? Property(string name) => Configuration.TryGetValue(name, out var value) ? value : null;

    public string ColumnMappingMode => Property("delta.columnMapping.mode") ?? "none";

    public bool ChangeDataFeedEnabled => string.Equals(Property("delta.enableChangeDataFeed"), "true", StringComparison.OrdinalIgnoreCase);
}
