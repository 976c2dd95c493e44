namespace Empower.Sync.Pipeline.Contracts;

/// <summary>A principal taken out of the pool during a run, and why (e.g. the identity provider's <c>AADSTS…</c> error).</summary>
public sealed record PrincipalProblem(string Principal, string Reason)
{
    public static IReadOnlyList<PrincipalProblem> Distinct(IEnumerable<PrincipalProblem> problems) =>
        [.. problems.GroupBy(p => p.Principal, StringComparer.Ordinal).Select(g => g.First()).OrderBy(p => p.Principal, StringComparer.Ordinal)];
}
