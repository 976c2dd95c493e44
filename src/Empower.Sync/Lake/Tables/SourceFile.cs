using Empower.Sync.Lake.Delta.Actions;

namespace Empower.Sync.Lake.Tables;

/// <summary>
/// A data file to read: its path relative to the table root, partition values keyed by logical column name (as
/// written: parsed when rows are read), its deletion vector, and its physical row count when known without opening it.
/// <see cref="ChangeType"/> is set for change reads: a Change Data Feed file (<c>cdc</c>, rows carry their own
/// <c>_change_type</c>) or a whole file whose rows were all inserted / deleted by commit <see cref="CommitVersion"/>.
/// </summary>
public sealed record SourceFile(
    string Path,
    long Size,
    IReadOnlyDictionary<string, string?> PartitionValues,
    DeletionVectorDescriptor? DeletionVector = null,
    long? PhysicalRows = null,
    string? ChangeType = null,
    long? CommitVersion = null)
{
    public const string ChangeDataFile = "cdc";

    public long DeletedRows => DeletionVector?.Cardinality ?? 0;
}
