namespace Empower.Dataverse.Emulator.Batch;

/// <summary>An HTTP request carried in a <c>$batch</c> part (<c>Content-Type: application/http</c>).</summary>
public sealed record BatchOperation(string? ContentId, string Method, string Url, IReadOnlyDictionary<string, string> Headers, string? Body);
