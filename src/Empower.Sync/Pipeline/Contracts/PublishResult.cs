using Empower.Sync.Dataverse.Principals;
using Empower.Sync.Pipeline.Principals;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// What one publish try did with its rows. <see cref="Rows"/> adds up to what it read; deferred rows come back by id
/// with the earliest time to try again. Failed rows are staged in the lake, not carried in orchestration history.
/// <see cref="Throttles"/> are the principals still resting when the try ended, for the <c>Principals</c> entity;
/// <see cref="Usage"/> what each principal did for this try, <see cref="PrincipalsOut"/> the principals the pool took
/// out. <see cref="Stopped"/>: the run is stopping; the rows not sent are counted as such and none is deferred.
/// <see cref="FailedFile"/>: where this try staged its failed rows (none when none failed).
/// </summary>
public sealed record PublishResult(
    RowCounts Rows, IReadOnlyList<long> Deferred, DateTimeOffset? RetryAt, IReadOnlyList<PrincipalThrottle> Throttles, IReadOnlyList<PrincipalUsage> Usage,
    IReadOnlyList<PrincipalProblem> PrincipalsOut, bool Stopped = false, string? FailedFile = null);
