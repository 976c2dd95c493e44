namespace Empower.Sync.Pipeline.Principals;

/// <summary>
/// Rotation state shared by all partitions of a run: which principal is throttled until when. The durable entity
/// keeps it across activities on many hosts; in-process, the one principal pool of the process already shares it.
/// </summary>
public sealed class PrincipalRotationState
{
    public Dictionary<string, PrincipalStatus> Principals { get; set; } = new(StringComparer.Ordinal);

    public void ReportThrottled(PrincipalThrottle throttle)
    {
        var current = Principals.GetValueOrDefault(throttle.ClientId) ?? new PrincipalStatus(DateTimeOffset.MinValue, 0, null, null);
        Principals[throttle.ClientId] = current with
        {
            ThrottledUntil = throttle.Until > current.ThrottledUntil ? throttle.Until : current.ThrottledUntil,
            Throttles = current.Throttles + 1,
            LastCode = throttle.Code,
        };
    }

    public void ReportDopHint(string clientId, int hint)
    {
        var current = Principals.GetValueOrDefault(clientId) ?? new PrincipalStatus(DateTimeOffset.MinValue, 0, null, null);
        Principals[clientId] = current with { DopHint = hint };
    }

    /// <summary>The principals still resting at <paramref name="now"/>, for the next publish to avoid.</summary>
    public IReadOnlyList<PrincipalThrottle> Resting(DateTimeOffset now) =>
        Principals.Where(p => p.Value.ThrottledUntil > now)
            .Select(p => new PrincipalThrottle(p.Key, p.Value.ThrottledUntil, p.Value.LastCode ?? ""))
            .OrderBy(p => p.ClientId, StringComparer.Ordinal)
            .ToList();
}
