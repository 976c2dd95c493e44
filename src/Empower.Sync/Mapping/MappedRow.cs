using Empower.Sync.Dataverse.Writing;

namespace Empower.Sync.Mapping;

/// <summary>A source row after mapping: the record to write, or why it cannot be written.</summary>
internal sealed record MappedRow(RecordToWrite? Record, PrepareFailure? Failure);
