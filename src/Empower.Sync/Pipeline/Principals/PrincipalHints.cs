using Empower.Sync.Dataverse.Principals;

namespace Empower.Sync.Pipeline.Principals;

/// <summary>Carries throttling between a publish activity's principal pool and the <c>Principals</c> entity.</summary>
internal static class PrincipalHints
{
    /// <summary>Rests the principals other partitions saw throttled, until their Retry-After has passed.</summary>
    public static void Apply(PrincipalPool pool, IReadOnlyList<PrincipalThrottle>? avoid)
    {
        foreach (var throttle in avoid ?? [])
        {
            pool.Principals.FirstOrDefault(p => p.ClientId == throttle.ClientId)?.RestUntil(throttle.Until);
        }
    }

    /// <summary>The pool's principals still resting at <paramref name="now"/>.</summary>
    public static IReadOnlyList<PrincipalThrottle> Resting(PrincipalPool pool, DateTimeOffset now) =>
        pool.Principals.Where(p => p.ThrottledUntil > now).Select(p => new PrincipalThrottle(p.ClientId, p.ThrottledUntil, "")).ToList();
}
