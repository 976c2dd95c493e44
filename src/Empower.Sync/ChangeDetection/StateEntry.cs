namespace Empower.Sync.ChangeDetection;

/// <summary>
/// One row of a job's published-state table: the record key, the hash of the values Dataverse accepted for it (hex),
/// or <see cref="Deleted"/> when the record was deleted or deactivated because the row was deleted in the lake.
/// <see cref="KeyValues"/> is the key as a JSON object (alternate key attributes, or the primary id), so a record whose
/// row is gone from the lake can be found again to delete it. <see cref="RunId"/> and <see cref="PublishedAt"/> are
/// read back (staging writes the run's own): which run last published the key, and when.
/// </summary>
internal sealed record StateEntry(string Key, string Hash, string? KeyValues, bool Deleted = false, string? RunId = null, DateTimeOffset? PublishedAt = null);
