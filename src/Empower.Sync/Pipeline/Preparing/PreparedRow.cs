using Empower.Sync.Dataverse.Writing;

namespace Empower.Sync.Pipeline.Preparing;

/// <summary>A row ready to publish: its record, its key, and where it came from (for failed rows).</summary>
public sealed record PreparedRow(RecordToWrite Record, string Key, string File, long Row);
