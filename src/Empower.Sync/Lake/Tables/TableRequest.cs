namespace Empower.Sync.Lake.Tables;

/// <summary>
/// Which version of a table to read: the latest, a version number, or the version current at a time.
/// <see cref="File"/> names one Parquet file under the storage root to read as a table of its own.
/// </summary>
public sealed record TableRequest(long? Version = null, DateTimeOffset? Timestamp = null, string? File = null)
{
    public static TableRequest Latest { get; } = new();
}
