using Microsoft.DurableTask;

namespace Empower.Sync.Ingestion;

/// <summary>
/// One ingest run as a durable orchestration (instance <c>ingest-{job}</c>, one at a time). The activity is retried:
/// a run that failed committed nothing, and a retry reads from the link the table holds — the same changes, or, after
/// another run committed, the ones after it.
/// </summary>
public sealed class IngestOrchestrator : TaskOrchestrator<IngestRunInput, IngestResult>
{
    public static readonly TaskOptions Retry = new(new TaskRetryOptions(new RetryPolicy(3, TimeSpan.FromSeconds(5))));

    public static string InstanceId(string job) => $"ingest-{job}";

    public override Task<IngestResult> RunAsync(TaskOrchestrationContext context, IngestRunInput input) =>
        context.CallActivityAsync<IngestResult>(nameof(IngestActivity), input, Retry);
}
