namespace Empower.Sync.Lake.Delta.Actions;

/// <summary>Provenance of a commit: when, which operation, which engine.</summary>
internal sealed record CommitInfo(long? Timestamp, string? Operation, string? EngineInfo) : DeltaAction;
