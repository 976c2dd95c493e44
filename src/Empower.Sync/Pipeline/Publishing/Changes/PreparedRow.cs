using Empower.Sync.Dataverse.Writing;

namespace Empower.Sync.Pipeline.Publishing.Changes;

/// <summary>
/// A row ready to publish: its record, its key, and where it came from (for failed rows). <see cref="Delete"/> marks a
/// row deleted in the lake (a Change Data Feed <c>delete</c>): its record holds just the key. <see cref="Hash"/>: the
/// record's <see cref="ChangeDetection.RowHash"/> when Prepare compared it with the published state.
/// </summary>
internal sealed record PreparedRow(RecordToWrite Record, string Key, string File, long Row, bool Delete = false, UInt128? Hash = null);
