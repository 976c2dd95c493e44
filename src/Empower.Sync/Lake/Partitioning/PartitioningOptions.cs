using System.ComponentModel.DataAnnotations;

namespace Empower.Sync.Lake.Partitioning;

/// <summary>How big a work partition may grow. A row group larger than the bounds is split by rows into several.</summary>
internal sealed class PartitioningOptions
{
    public const long DefaultMaxRows = 100_000;
    public const long DefaultMaxBytes = 128L * 1024 * 1024;

    [Range(1, long.MaxValue)]
    public long MaxRows { get; set; } = DefaultMaxRows;

    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = DefaultMaxBytes;
}
