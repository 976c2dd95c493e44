using Empower.Sync.Jobs;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// What starts a run: the job, and a run id chosen by the starter (it names the run's files). With
/// <see cref="UsePrincipalsEntity"/> partitions share throttling through the <c>Principals</c> durable entity (Functions);
/// in-process, activities share one principal pool instead (the in-process host has no entity support). With
/// <see cref="Full"/> the run reads the whole table even when it could read just the changes since the watermark.
/// With <see cref="Resend"/> it also sends every row, ignoring the published state, and rebuilds that state (for a
/// target that was emptied or restored). <see cref="JobFile"/> says where the job came from, for the report.
/// </summary>
public sealed record SyncRunInput(JobDefinition Job, string RunId, bool UsePrincipalsEntity = false, bool Full = false,
    string? JobFile = null, bool Resend = false);
