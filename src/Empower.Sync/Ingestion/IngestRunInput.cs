namespace Empower.Sync.Ingestion;

/// <summary>What an ingest orchestration runs: the job as its file says it, and the run's id.</summary>
public sealed record IngestRunInput(IngestJob Job, string RunId);
