namespace Empower.Dataverse.Emulator.Protocol;

/// <summary>One Web API operation, whether it arrived as an HTTP request or as a part of a <c>$batch</c>.</summary>
/// <param name="Path">Decoded path below <c>/api/data/v9.2/</c>, e.g. <c>accounts(accountnumber='A1')</c>.</param>
/// <param name="Query">Decoded query options by name (<c>$select</c>, <c>$filter</c>, …).</param>
public sealed record ApiRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string? Body,
    Uri ServiceRoot)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? QueryOption(string name) => Query.TryGetValue(name, out var value) ? value : null;

    /// <summary>True when the <c>Prefer</c> header carries <paramref name="preference"/> (e.g. <c>return=representation</c>).</summary>
    public bool Prefers(string preference) => Preferences().Any(p => p.StartsWith(preference, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value of a <c>name=value</c> preference such as <c>odata.maxpagesize=500</c>.</summary>
    public string? Preference(string name) =>
        Preferences().FirstOrDefault(p => p.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim('"');

    /// <summary>
    /// Whether <c>odata.include-annotations</c> asks for <paramref name="annotation"/>: by name, by <c>*</c>, or by a
    /// namespace wildcard such as <c>Microsoft.Dynamics.CRM.*</c>.
    /// </summary>
    public bool IncludesAnnotation(string annotation) =>
        Preference("odata.include-annotations")?.Split(',', StringSplitOptions.TrimEntries).Any(a =>
            a == "*" || string.Equals(a, annotation, StringComparison.OrdinalIgnoreCase)
            || a.EndsWith(".*", StringComparison.Ordinal) && annotation.StartsWith(a[..^1], StringComparison.OrdinalIgnoreCase)) == true;

    /// <summary>The header's preferences, split at commas outside quotes (<c>odata.include-annotations="a,b"</c> is one).</summary>
    private IEnumerable<string> Preferences()
    {
        string header = Header("Prefer") ?? "";
        int start = 0;
        bool quoted = false;
        for (int i = 0; i <= header.Length; i++)
        {
            if (i == header.Length || header[i] == ',' && !quoted)
            {
                if (header[start..i].Trim() is { Length: > 0 } preference)
                {
                    yield return preference;
                }

                start = i + 1;
            }
            else if (header[i] == '"')
            {
                quoted = !quoted;
            }
        }
    }
}
