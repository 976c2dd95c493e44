namespace Empower.Functions.Syncs;

/// <summary>Job names as they appear in routes and instance ids.</summary>
public static class JobName
{
    public static bool IsValid(string name) => name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
