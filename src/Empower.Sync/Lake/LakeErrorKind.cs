namespace Empower.Sync.Lake;

/// <summary>
/// What is wrong with a lake table, so callers branch on it instead of on the message: the first three are the
/// user's input (a wrong path or version), the rest are damage to the table or a feature Empower does not read.
/// Each has a row in docs/troubleshooting.md.
/// </summary>
public enum LakeErrorKind
{
    /// <summary>The location holds neither a Delta table nor Parquet files.</summary>
    TableNotFound,

    /// <summary>A Delta table is needed (time travel) but the location is a Parquet folder, or its log is empty.</summary>
    NotADeltaTable,

    /// <summary>The version or timestamp asked for is not in the table.</summary>
    VersionNotFound,

    /// <summary>A commit the version needs is gone (cleaned up, or a checkpoint that would replace it is incomplete).</summary>
    MissingCommit,

    /// <summary>A commit is truncated, not JSON, or lacks a required field, protocol or metadata.</summary>
    CorruptCommit,

    /// <summary>A checkpoint cannot be read or is not a Delta checkpoint.</summary>
    CorruptCheckpoint,

    /// <summary>A data file the log names is gone.</summary>
    MissingDataFile,

    /// <summary>A data file is not Parquet, its footer or a page is damaged, or its row count differs from the log's.</summary>
    CorruptDataFile,

    /// <summary>A deletion vector file the log names is gone.</summary>
    MissingDeletionVector,

    /// <summary>A deletion vector fails its size, CRC-32 or cardinality check.</summary>
    CorruptDeletionVector,

    /// <summary>The table uses a reader feature, column type or storage layout Empower does not read.</summary>
    UnsupportedFeature,

    /// <summary>A data file or partition value does not match the table's schema.</summary>
    SchemaMismatch,

    /// <summary>Another writer kept taking the next version, or wrote a file Empower was about to write.</summary>
    CommitConflict,
}
