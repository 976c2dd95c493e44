using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Finalizing;
using Empower.Sync.Pipeline.Planning;
using Empower.Sync.Pipeline.Principals;
using Empower.Sync.Pipeline.Publishing;
using Empower.Sync.Pipeline.Running;
using Empower.Sync.Pipeline.Runtime;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Empower.Functions.Pipeline;

/// <summary>
/// The sync orchestrators and activities as Functions (so they appear in the function metadata); each delegates to
/// the class in Empower.Sync that the in-process runner uses too. Activities get the invocation's cancellation token,
/// which the worker cancels when the host shuts down: the activity stops and Durable Functions runs it again.
/// </summary>
public sealed class SyncTaskFunctions(JobRuntime runtime, ILogger<PlanActivity> planLogger)
{
    [Function(nameof(SyncRunOrchestrator))]
    public Task<RunSummary> SyncRun([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new SyncRunOrchestrator().RunAsync(context, context.GetInput<SyncRunInput>()!);

    [Function(nameof(PartitionOrchestrator))]
    public Task<PartitionOutcome> Partition([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new PartitionOrchestrator().RunAsync(context, context.GetInput<PublishInput>()!);

    [Function(PrincipalsEntity.Name)]
    public Task Principals([EntityTrigger] TaskEntityDispatcher dispatcher) => dispatcher.DispatchAsync<PrincipalsEntity>();

    [Function(nameof(PlanActivity))]
    public Task<SyncPlan> Plan([ActivityTrigger] SyncRunInput input, CancellationToken cancellationToken) =>
        new PlanActivity(runtime, planLogger).ExecuteAsync(input, cancellationToken);

    [Function(nameof(PublishActivity))]
    public Task<PublishResult> Publish([ActivityTrigger] PublishInput input, CancellationToken cancellationToken) =>
        new PublishActivity(runtime).ExecuteAsync(input, cancellationToken);

    [Function(nameof(FinalizeActivity))]
    public Task<RunSummary> Finalize([ActivityTrigger] FinalizeInput input, CancellationToken cancellationToken) =>
        new FinalizeActivity(runtime).ExecuteAsync(input, cancellationToken);
}
