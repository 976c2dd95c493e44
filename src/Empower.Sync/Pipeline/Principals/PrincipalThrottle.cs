namespace Empower.Sync.Pipeline.Principals;

/// <summary>A principal seen throttled: until when, and with which service protection code.</summary>
public sealed record PrincipalThrottle(string ClientId, DateTimeOffset Until, string Code);
