using System.Text.Json;

namespace Empower.Sync.Lake.Delta.Actions;

/// <summary>
/// A data file that is part of the table from this version on. <see cref="Path"/> is decoded and relative to the table
/// root; partition values are keyed by the partition column's physical name, as the log stores them.
/// </summary>
internal sealed record AddFile(
    string Path,
    IReadOnlyDictionary<string, string?> PartitionValues,
    long Size,
    long ModificationTime,
    bool DataChange,
    string? Stats,
    DeletionVectorDescriptor? DeletionVector) : DeltaAction
{
    /// <summary>What identifies the file in log replay: its path and its deletion vector.</summary>
    public FileKey Key => new(Path, DeletionVector?.UniqueId);

    /// <summary>The physical row count from the add's statistics, when the writer recorded them.</summary>
    public long? NumRecords
    {
        get
        {
            if (string.IsNullOrEmpty(Stats))
            {
                return null;
            }

            try
            {
                using var stats = JsonDocument.Parse(Stats);
                return stats.RootElement.TryGetProperty("numRecords", out var n) && n.TryGetInt64(out long rows) ? rows : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
