using System.Globalization;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// Run ids: by default the UTC start time to the second (<c>20261126T155343Z</c>), so a job's runs sort in time order
/// in its state folder. A run id names folders, so one given by a user (<c>--run-id</c>, the HTTP body's
/// <c>runId</c>) must be letters, digits, <c>-</c>, <c>_</c> or <c>.</c>, not start with a dot, and be at most
/// <see cref="MaxLength"/> characters: it can never leave the state folder.
/// </summary>
public static class RunIds
{
    public const int MaxLength = 100;

    /// <summary>Why <paramref name="runId"/> cannot be a run id, or null when it can.</summary>
    public static string? Problem(string runId) =>
        runId.Length is 0 or > MaxLength || runId[0] == '.' || !runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? $"the run id '{runId}' must be 1 to {MaxLength} letters, digits, '-', '_' or '.', not starting with '.' (it names the run's folders)."
            : null;

    public static string At(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
