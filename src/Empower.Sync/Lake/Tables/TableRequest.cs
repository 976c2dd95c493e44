namespace Empower.Sync.Lake.Tables;

/// <summary>Which version of a table to read: the latest, a version number, or the version current at a time.</summary>
public sealed record TableRequest(long? Version = null, DateTimeOffset? Timestamp = null)
{
    public static TableRequest Latest { get; } = new();
}
