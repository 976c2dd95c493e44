using Empower.Sync.Dataverse.Errors;

namespace Empower.Sync.Dataverse.Writing;

/// <summary>What happened to one row; failed rows carry Dataverse's error code and message, and the principal that got it.</summary>
internal sealed record RecordResult(long RowId, RecordOutcome Outcome, DataverseError? Error = null, DateTimeOffset? RetryAt = null, string? Principal = null);
