using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Lake.Delta.Log;

/// <summary>The Parquet part(s) of one checkpoint.</summary>
internal sealed record CheckpointFiles(long Version, IReadOnlyList<LakeFile> Parts);
