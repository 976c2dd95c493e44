using Microsoft.DurableTask.Client;

namespace Empower.Sync.Pipeline.Starting;

/// <summary>One run of a job at a time: whether its orchestration instance is still going.</summary>
internal static class RunInstances
{
    public static bool IsActive(OrchestrationMetadata? instance) =>
        instance?.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended;
}
