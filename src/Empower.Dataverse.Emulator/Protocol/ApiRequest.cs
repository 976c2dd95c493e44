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
    public bool Prefers(string preference) =>
        Header("Prefer")?.Split(',').Any(p => p.Trim().StartsWith(preference, StringComparison.OrdinalIgnoreCase)) == true;

    /// <summary>The value of a <c>name=value</c> preference such as <c>odata.maxpagesize=500</c>.</summary>
    public string? Preference(string name) =>
        Header("Prefer")?.Split(',').Select(p => p.Trim())
            .FirstOrDefault(p => p.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim('"');
}
