namespace Empower.Dataverse.Emulator.Batch;

/// <summary>One part of a multipart body: its MIME headers and content lines.</summary>
public sealed record MimePart(IReadOnlyDictionary<string, string> Headers, IReadOnlyList<string> Lines)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
