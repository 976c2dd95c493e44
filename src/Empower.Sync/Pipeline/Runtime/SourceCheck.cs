using Empower.Sync.Mapping;

namespace Empower.Sync.Pipeline.Runtime;

/// <summary>What a job's source holds at its configured version (<see cref="Version"/> is null for a Parquet folder) and how its columns
/// map to the target.</summary>
public sealed record SourceCheck(string Location, long? Version, int Files, MappingPlan Mapping);
