namespace Empower.Sync.Pipeline.Runtime;

/// <summary>
/// What an instance needs for the publish activities it runs at once, from what the sync-memory benchmark measured: the
/// runtime, the Durable host and the libraries take about <see cref="RuntimeMB"/>; a partition holds a read batch
/// (about <see cref="PartitionMB"/> with the Dataverse client's buffers) and a window of mapped rows and their request
/// bodies (about <see cref="WindowBytesPerRow"/> a row). The published state of <c>lake-state</c> jobs (about 60 bytes
/// a published key) comes on top: it depends on the table, which start-up does not know.
/// </summary>
internal static class MemoryBudget
{
    public const int RuntimeMB = 256;
    public const int PartitionMB = 16;
    public const int WindowBytesPerRow = 8 * 1024;

    /// <summary>MB the settings need: activities at once × (a partition + its window) + the runtime.</summary>
    public static long NeededMB(PipelineOptions options) => RuntimeMB + ActivitiesAtOnce(options) * ActivityMB(options);

    /// <summary>MB one publish activity holds: a partition and its window.</summary>
    public static long ActivityMB(PipelineOptions options) => PartitionMB + ((long)options.WindowRows * WindowBytesPerRow / (1024 * 1024));

    public static int ActivitiesAtOnce(PipelineOptions options) => Math.Max(options.Parallelism, options.ActivitiesPerInstance ?? 0);

    /// <summary>The budget: <see cref="PipelineOptions.MemoryBudgetMB"/>, else the memory the runtime may use.</summary>
    public static long BudgetMB(PipelineOptions options) => options.MemoryBudgetMB ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);

    /// <summary>The problem when the settings need more than the budget, naming what to change; null when they fit.</summary>
    public static string? Check(PipelineOptions options)
    {
        long needed = NeededMB(options);
        long budget = BudgetMB(options);
        return needed <= budget
            ? null
            : $"{PipelineOptions.SectionName}: {ActivitiesAtOnce(options)} publish activities at once (Parallelism {options.Parallelism}, " +
                $"ActivitiesPerInstance " +
              $"{options.ActivitiesPerInstance?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset"}) with windows of " +
                  $"{options.WindowRows} rows need about {needed} MB " +
              $"({RuntimeMB} MB for the runtime + {ActivityMB(options)} MB each), more than the {budget} MB memory budget " +
              $"(MemoryBudgetMB{(options.MemoryBudgetMB is null ? ", from the instance" : "")}): lower WindowRows, Parallelism or " +
                  $"maxConcurrentActivityFunctions, or give the instance more memory.";
    }
}
