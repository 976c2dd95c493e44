namespace Empower.Sync.Lake.Tables;

/// <summary>The location holds neither a Delta table nor Parquet files: the path is wrong, not the table.</summary>
public sealed class LakeTableNotFoundException(string message) : LakeFormatException(message);
