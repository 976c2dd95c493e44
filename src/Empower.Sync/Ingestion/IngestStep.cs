using Empower.Sync.Lake.Writing;

namespace Empower.Sync.Ingestion;

/// <summary>
/// Where a snapshot deferred by throttling stopped: the page to ask next, and what the pages before it wrote (files not
/// yet committed). <see cref="Schema"/> and <see cref="ReadVersion"/> say which table it was for; a resume that finds
/// either changed starts the snapshot again.
/// </summary>
public sealed record IngestResume(
    long? ReadVersion, string Schema, string Reason, string NextPage, IReadOnlyList<DataFile> Files, long Records, long Rows, long FilteredOut, int Pages);

/// <summary>
/// One step of an ingest run in the Functions app: the run's result, or — Dataverse throttled past the sender's wait
/// (layer 1) — the time to ask again, after a durable timer (layer 2), with where a snapshot stopped.
/// </summary>
public sealed record IngestStep(IngestResult? Result, DateTimeOffset? RetryAt, IngestResume? Resume);

/// <summary>A page Dataverse throttled past the sender's wait, for a caller that defers instead of waiting in place.</summary>
internal sealed class PageDeferredException(DateTimeOffset retryAt, string page, int pagesRead)
    : Exception($"Dataverse throttled the page {page} until {retryAt:O}.")
{
    public DateTimeOffset RetryAt { get; } = retryAt;

    public string Page { get; } = page;

    public int PagesRead { get; } = pagesRead;
}
