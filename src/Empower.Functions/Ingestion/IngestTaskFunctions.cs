using Empower.Sync.Ingestion;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Empower.Functions.Ingestion;

/// <summary>The ingest orchestrator and activity as Functions; each delegates to the class in Empower.Sync the in-process host runs too.</summary>
public sealed class IngestTaskFunctions(IngestActivity activity)
{
    [Function(nameof(IngestOrchestrator))]
    public Task<IngestResult> Ingest([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new IngestOrchestrator().RunAsync(context, context.GetInput<IngestRunInput>()!);

    [Function(nameof(IngestActivity))]
    public Task<IngestStep> Run([ActivityTrigger] IngestRunInput input, CancellationToken cancellationToken) =>
        activity.ExecuteAsync(input, cancellationToken);
}
