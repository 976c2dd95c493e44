namespace Empower.Sync.Ingestion;

/// <summary>What an ingest orchestration runs: the job as its file says it, the run's id, and where a deferred snapshot resumes.</summary>
public sealed record IngestRunInput(IngestJob Job, string RunId, IngestResume? Resume = null);
