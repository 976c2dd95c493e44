using Empower.Sync.Dataverse.Telemetry;
using Empower.Sync.Pipeline.Principals;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// What one publish try did. Rows read = written + failed + superseded + deferred; deferred rows come back by id with
/// the earliest time to try again. Failed rows are staged in the lake, not carried in orchestration history.
/// <see cref="Throttles"/> are the principals still resting when the try ended, for the <c>Principals</c> entity;
/// <see cref="Usage"/> what each principal did for this try.
/// </summary>
public sealed record PublishResult(
    long Read, long Written, long Failed, long Superseded, IReadOnlyList<long> Deferred, DateTimeOffset? RetryAt, IReadOnlyList<PrincipalThrottle> Throttles,
    IReadOnlyList<PrincipalUsage> Usage);
