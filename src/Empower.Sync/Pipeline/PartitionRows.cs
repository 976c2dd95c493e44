namespace Empower.Sync.Pipeline;

/// <summary>A row's id within a partition: the work item it belongs to and its position in that file.</summary>
public static class PartitionRows
{
    public static long Id(int item, long rowIndex) => ((long)item << 40) | rowIndex;
}
