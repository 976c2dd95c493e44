namespace Empower.Dataverse.Emulator.Batch;

/// <summary>A top-level item of a batch: one operation, or a change set of operations that succeed or fail together.</summary>
public sealed record BatchItem(BatchOperation? Operation, IReadOnlyList<BatchOperation>? ChangeSet);
