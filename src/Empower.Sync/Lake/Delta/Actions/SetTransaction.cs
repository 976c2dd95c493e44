namespace Empower.Sync.Lake.Delta.Actions;

/// <summary>
/// A <c>txn</c> action: the latest <paramref name="Version"/> an application (<paramref name="AppId"/>) committed, so a
/// writer that repeats work after a crash can tell it already committed it. Replay keeps the latest per application.
/// </summary>
internal sealed record SetTransaction(string AppId, long Version, long? LastUpdated) : DeltaAction;
