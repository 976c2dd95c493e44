namespace Empower.Sync.Pipeline;

/// <summary>Where runs keep their state and reports, and how wide they fan out (configuration section <c>Empower:Pipeline</c>).</summary>
public sealed class PipelineOptions
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
    /// Share principal throttling between partitions through the <c>Principals</c> durable entity. On in the Functions
    /// app; off in-process, where the host has no entity support and one principal pool serves every activity.
    /// </summary>
    public bool UsePrincipalsEntity { get; set; }
}
