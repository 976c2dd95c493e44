namespace Empower.Sync.Pipeline.Principals;

/// <summary>What the run knows of one principal: throttled until, 429s seen, and the last <c>x-ms-dop-hint</c>.</summary>
public sealed record PrincipalStatus(DateTimeOffset ThrottledUntil, int Throttles, string? LastCode, int? DopHint);
