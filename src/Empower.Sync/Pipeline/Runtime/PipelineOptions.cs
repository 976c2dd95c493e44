using Empower.Sync.Hosting;

namespace Empower.Sync.Pipeline.Runtime;

/// <summary>Where runs keep their state and reports, and how wide they fan out (configuration section <c>Empower:Pipeline</c>).</summary>
public sealed class PipelineOptions : IValidatedOptions
{
    public const string SectionName = "Empower:Pipeline";

    /// <summary>Folder or URL for run state: staged failed rows, reports, watermarks; failed-rows tables default below it.</summary>
    public string StateLocation { get; set; } = ".empower";

    /// <summary>Partitions published at once per run.</summary>
    public int Parallelism { get; set; } = 4;

    public long PartitionMaxRows { get; set; } = 50_000;

    /// <summary>
    /// Rows a publish try sends before it stages what Dataverse accepted: a run killed mid-partition re-sends at most
    /// this many rows per partition in flight, and a stop waits for at most one window.
    /// </summary>
    public int WindowRows { get; set; } = 5_000;

    /// <summary>
    /// Publish activities one instance runs at once, when more than <see cref="Parallelism"/>: in the Functions app
    /// <c>host.json</c>'s <c>maxConcurrentActivityFunctions</c> (the Bicep sets both). Checked against the memory budget.
    /// </summary>
    public int? ActivitiesPerInstance { get; set; }

    /// <summary>
    /// The memory one instance may use, in MB; by default what the runtime sees (the container's or the machine's).
    /// Start-up fails when the activities at once and their windows would not fit (<see cref="MemoryBudget"/>).
    /// </summary>
    public int? MemoryBudgetMB { get; set; }

    /// <summary>
    /// Share principal throttling between partitions through the <c>Principals</c> durable entity. On in the Functions
    /// app; off in-process, where the host has no entity support and one principal pool serves every activity.
    /// </summary>
    public bool UsePrincipalsEntity { get; set; }

    /// <summary>Every problem with these settings, each named by its configuration key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(StateLocation))
        {
            problems.Add($"{SectionName}:StateLocation is empty: set a folder or an https:// / abfss:// URL where runs keep their state.");
        }

        foreach (var (key, value) in new[] { ("Parallelism", (long)Parallelism), ("PartitionMaxRows", PartitionMaxRows), ("WindowRows", WindowRows),
            ("ActivitiesPerInstance", ActivitiesPerInstance ?? 1), ("MemoryBudgetMB", MemoryBudgetMB ?? 1) })
        {
            if (value < 1)
            {
                problems.Add($"{SectionName}:{key} is {value}: it must be at least 1.");
            }
        }

        if (problems.Count == 0 && MemoryBudget.Check(this) is { } tooBig)
        {
            problems.Add(tooBig);
        }

        return problems;
    }
}
