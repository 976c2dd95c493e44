namespace Empower.Sync.Dataverse.Errors;

/// <summary>What to do about a failed request.</summary>
internal enum ErrorKind
{
    /// <summary>Try again after a back-off (5xx, timeouts, connection resets, SQL timeouts).</summary>
    Transient,

    /// <summary>Service protection: rest this principal until Retry-After, send the work elsewhere or defer it.</summary>
    Throttled,

    /// <summary>The data is wrong: do not retry; isolate and report the row.</summary>
    Data,

    /// <summary>The principal's credentials or permissions fail: take it out of rotation.</summary>
    Authentication,

    /// <summary>The request itself is wrong (unknown table, bad URL): stop and report.</summary>
    Fatal,
}
