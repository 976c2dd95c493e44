using System.Text.Json.Nodes;

namespace Empower.Sync.Dataverse.Writing;

/// <summary>
/// One row to write: <see cref="RowId"/> is the caller's handle for reporting; <see cref="Attributes"/> the Web API
/// body (lookups as <c>nav@odata.bind</c>); <see cref="Id"/> the primary id (required for Insert and for Upsert by id).
/// </summary>
internal sealed record RecordToWrite(long RowId, JsonObject Attributes, Guid? Id = null);
