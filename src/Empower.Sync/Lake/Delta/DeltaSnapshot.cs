using Empower.Sync.Lake.Delta.Actions;
using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Lake.Delta;

/// <summary>
/// A Delta table as of one version: protocol, metadata, schema, the active data files and each application's latest
/// <c>txn</c>.
/// </summary>
internal sealed record DeltaSnapshot(
    string Table,
    long Version,
    DeltaProtocol Protocol,
    DeltaMetadata Metadata,
    LakeSchema Schema,
    IReadOnlyList<AddFile> Files,
    DateTimeOffset? Timestamp,
    IReadOnlyDictionary<string, SetTransaction> Transactions);
