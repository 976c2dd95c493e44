namespace Empower.Sync.Jobs;

/// <summary>
/// A sync job as a data engineer writes it (JSON, see docs/job-schema.json): what to read, where to write it, how
/// rows match records, and how columns map to attributes. Environment settings (Dataverse URL, principals, lake
/// credentials) are configuration, not part of a job.
/// </summary>
public sealed record JobDefinition
{
    public required string Name { get; init; }

    public required JobSource Source { get; init; }

    public required JobTarget Target { get; init; }

    public JobMode Mode { get; init; } = JobMode.Upsert;

    public JobMatch? Match { get; init; }

    public required IReadOnlyList<ColumnMapping> Columns { get; init; }

    /// <summary><c>ignore</c>: a null cell leaves the attribute as it is; <c>clear</c>: it sets the attribute to null.</summary>
    public NullHandling Nulls { get; init; } = NullHandling.Ignore;

    /// <summary>Two rows with the same key in one run: the last one read wins, or both fail.</summary>
    public DuplicateHandling Duplicates { get; init; } = DuplicateHandling.LastWins;

    /// <summary>
    /// How rows that did not change are skipped: <c>lake-state</c> (hashes of what was last published, kept in the lake),
    /// <c>target-compare</c> (read Dataverse and send only changed columns) or <c>none</c>. Unset: <c>lake-state</c>.
    /// </summary>
    public ChangeDetectionMode ChangeDetection { get; init; } = ChangeDetectionMode.LakeState;

    /// <summary>What a row deleted in the lake (a Change Data Feed <c>delete</c>) does in Dataverse.</summary>
    public DeleteHandling Deletes { get; init; } = DeleteHandling.Ignore;

    public int? BatchSize { get; init; }

    public int MaxDeferrals { get; init; } = 5;

    /// <summary><c>nightly</c> to run on the nightly timer; null for on-demand only.</summary>
    public string? Schedule { get; init; }

    /// <summary>Start a run when Spark commits a new version of the source table.</summary>
    public bool OnNewCommit { get; init; }

    public FailedRowsSettings? FailedRows { get; init; }
}

public sealed record JobSource
{
    public required string Path { get; init; }

    public SourceFormat Format { get; init; } = SourceFormat.Delta;

    public long? Version { get; init; }

    public string PartitionTimeZone { get; init; } = "UTC";
}

public sealed record JobTarget
{
    /// <summary>The Dataverse table's logical name, e.g. <c>account</c>.</summary>
    public required string Table { get; init; }
}

/// <summary>How rows find their record: by primary id, by an alternate key, or by the id when the row has one and else the key.</summary>
public sealed record JobMatch
{
    /// <summary>The source column holding the record's primary id (a GUID).</summary>
    public string? PrimaryId { get; init; }

    /// <summary>The attributes of an alternate key.</summary>
    public IReadOnlyList<string>? Key { get; init; }
}

/// <summary>One target attribute: from a source column or a constant; a lookup or choice when said.</summary>
public sealed record ColumnMapping
{
    public string? Source { get; init; }

    public string? Attribute { get; init; }

    public System.Text.Json.JsonElement? Constant { get; init; }

    public LookupMapping? Lookup { get; init; }

    /// <summary>Source label → choice value; when absent, text values are matched to the choice's own labels.</summary>
    public IReadOnlyDictionary<string, int>? Choices { get; init; }

    public string Describe() => Source is not null ? $"column '{Source}'" : "a constant";
}

/// <summary>A lookup bound by the related table's alternate key: the cell holds that key's value.</summary>
public sealed record LookupMapping
{
    public required string Attribute { get; init; }

    public required string Table { get; init; }

    public required IReadOnlyList<string> Key { get; init; }
}

public sealed record FailedRowsSettings
{
    public string? Path { get; init; }

    public bool IncludePayload { get; init; } = true;
}

public enum JobMode
{
    Insert,
    Upsert,
}

public enum SourceFormat
{
    Delta,
    Parquet,
}

public enum NullHandling
{
    Ignore,
    Clear,
}

public enum DuplicateHandling
{
    LastWins,
    Fail,
}

public enum ChangeDetectionMode
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("lake-state")]
    LakeState,

    [System.Text.Json.Serialization.JsonStringEnumMemberName("target-compare")]
    TargetCompare,

    [System.Text.Json.Serialization.JsonStringEnumMemberName("none")]
    None,
}

public enum DeleteHandling
{
    Ignore,
    Delete,
    Deactivate,
}
