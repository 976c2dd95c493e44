namespace Empower.Sync.Jobs;

/// <summary>
/// The one rule for sync and ingest job names, wherever a name comes in (job files, HTTP routes, <c>empower init</c>):
/// a name becomes a route, an orchestration instance id, folders and blob paths, so it is 1 to <see cref="MaxLength"/>
/// ASCII letters, digits, <c>-</c> or <c>_</c>.
/// </summary>
public static class JobNames
{
    public const int MaxLength = 100;

    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && name.All(Allowed);

    /// <summary>The job file problem for a name that is not valid; <paramref name="names"/> says what the name names.</summary>
    public static string Problem(string? name, string names) =>
        $"name '{name}' must be 1 to {MaxLength} ASCII letters, digits, '-' or '_' (it names {names}).";

    /// <summary>The answer to a request whose route names no possible job.</summary>
    public static string NotAName(string name) => $"'{name}' is not a job name: 1 to {MaxLength} ASCII letters, digits, '-' and '_'.";

    /// <summary>A valid name made from free text (a folder's name): other characters become '-'.</summary>
    public static string From(string text)
    {
        string name = string.Concat(text.Select(c => Allowed(c) ? c : '-')).Trim('-');
        return name.Length == 0 ? "job" : name[..Math.Min(name.Length, MaxLength)];
    }

    private static bool Allowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
