namespace Empower.Sync.Lake.Delta.Actions;

/// <summary>One action of a Delta commit or checkpoint that the reader acts on.</summary>
internal abstract record DeltaAction;
