using Empower.Sync.Lake.Delta.Actions;
using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Lake.Delta;

/// <summary>A Delta table as of one version: protocol, metadata, schema and the active data files.</summary>
public sealed record DeltaSnapshot(
    string Table,
    long Version,
    DeltaProtocol Protocol,
    DeltaMetadata Metadata,
    LakeSchema Schema,
    IReadOnlyList<AddFile> Files,
    DateTimeOffset? Timestamp);
