using Empower.Sync.Dataverse.Writing;

namespace Empower.Sync.Pipeline.Preparing;

/// <summary>
/// A row ready to publish: its record, its key, and where it came from (for failed rows). <see cref="Delete"/> marks a
/// row deleted in the lake (a Change Data Feed <c>delete</c>): its record holds just the key.
/// </summary>
public sealed record PreparedRow(RecordToWrite Record, string Key, string File, long Row, bool Delete = false);
