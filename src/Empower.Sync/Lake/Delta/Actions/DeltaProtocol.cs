namespace Empower.Sync.Lake.Delta.Actions;

/// <summary>The reader and writer versions (and, from reader version 3 / writer 7, named features) a client must support.</summary>
internal sealed record DeltaProtocol(int MinReaderVersion, int MinWriterVersion, IReadOnlyList<string> ReaderFeatures,
    IReadOnlyList<string> WriterFeatures) : DeltaAction;
