using Empower.Sync.Jobs;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>What starts a run: the job, and a run id chosen by the starter (it names the run's files).</summary>
public sealed record SyncRunInput(JobDefinition Job, string RunId);
