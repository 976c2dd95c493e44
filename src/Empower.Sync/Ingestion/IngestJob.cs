namespace Empower.Sync.Ingestion;

/// <summary>
/// An ingest job (JSON, see docs/ingestion.md): a Dataverse table with change tracking, the columns to take (all when
/// none are named), and the Delta table it keeps equal to the Dataverse table, one commit per run.
/// </summary>
public sealed record IngestJob
{
    public required string Name { get; init; }

    public required IngestSource From { get; init; }

    public required IngestTarget To { get; init; }

    /// <summary>Records per page read (<c>Prefer: odata.maxpagesize</c>); Dataverse pages at most 5,000.</summary>
    public int PageSize { get; init; } = 5000;

    /// <summary>
    /// Durable timers a run in the Functions app may wait on when Dataverse throttles past the sender's wait, before it
    /// fails (committing nothing); as a sync job's <c>maxDeferrals</c>.
    /// </summary>
    public int MaxDeferrals { get; init; } = 5;
}

public sealed record IngestSource
{
    /// <summary>The Dataverse table's logical name, e.g. <c>account</c>.</summary>
    public required string Table { get; init; }

    /// <summary>Attributes to take; null or empty for all the table has (new ones join as new columns).</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>
    /// Which records the table keeps: attribute → the value, or a list of values, it must hold (all must match; text
    /// ignores case, as Dataverse does). Applied to what is read, since Dataverse's change tracking takes no
    /// <c>$filter</c>: a record that stops matching is removed from the table.
    /// </summary>
    public IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonNode?>? Filter { get; init; }
}

public sealed record IngestTarget
{
    /// <summary>The Delta table: a local folder or an abfss:// / https:// URL; relative paths resolve against the job file's folder.</summary>
    public required string Path { get; init; }
}
