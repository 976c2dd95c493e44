namespace Empower.Sync.Dataverse.Principals;

/// <summary>What one principal did for a piece of work: requests sent, 429s received, requests retried after a transient error.</summary>
public sealed record PrincipalUsage(string Principal, long Requests, long Throttled, long Retries)
{
    /// <summary>Adds up usage lists (e.g. of several publish tries), one line per principal, ordered by name.</summary>
    public static IReadOnlyList<PrincipalUsage> Sum(IEnumerable<PrincipalUsage> usage) =>
        usage.GroupBy(u => u.Principal, StringComparer.Ordinal)
            .Select(g => new PrincipalUsage(g.Key, g.Sum(u => u.Requests), g.Sum(u => u.Throttled), g.Sum(u => u.Retries)))
            .OrderBy(u => u.Principal, StringComparer.Ordinal)
            .ToList();
}
