using Empower.Sync.Hosting;

namespace Empower.Sync.Jobs;

/// <summary>Where the Functions app finds job files (configuration section <c>Empower:Jobs</c>).</summary>
public sealed class JobCatalogOptions : IValidatedOptions
{
    public const string SectionName = "Empower:Jobs";

    /// <summary>A folder or URL holding one <c>{job name}.json</c> file per job.</summary>
    public string Location { get; set; } = "jobs";

    public IReadOnlyList<string> Validate() => string.IsNullOrWhiteSpace(Location)
        ? [$"{SectionName}:Location is empty: set it to the folder or URL that holds the job files (one {{job name}}.json per job)."]
        : [];
}
