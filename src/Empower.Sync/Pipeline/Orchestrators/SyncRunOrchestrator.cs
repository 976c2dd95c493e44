using Empower.Sync.Pipeline.Activities;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Starting;
using Microsoft.DurableTask;

namespace Empower.Sync.Pipeline.Orchestrators;

/// <summary>
/// A run: Plan, then one <see cref="PartitionOrchestrator"/> per partition with bounded concurrency, then Finalize.
/// Progress is the custom status. History holds one activity per partition try, never one per batch. A
/// <see cref="NewCommitEvent"/> naming a version newer than the one published makes the run continue as a new run
/// when it finishes, so a commit that lands during a run is published right after it.
/// </summary>
public sealed class SyncRunOrchestrator : TaskOrchestrator<SyncRunInput, RunSummary>
{
    public const string NewCommitEvent = "NewCommit";

    public override async Task<RunSummary> RunAsync(TaskOrchestrationContext context, SyncRunInput input)
    {
        var newCommit = context.WaitForExternalEvent<long>(NewCommitEvent);
        var started = context.CurrentUtcDateTime;
        context.SetCustomStatus(new RunProgress("plan", 0, 0, 0, 0, 0, 0, 0));
        var plan = await context.CallActivityAsync<SyncPlan>(nameof(PlanActivity), input);
        var publishStarted = context.CurrentUtcDateTime;
        var outcomes = new List<PartitionOutcome>();
        var running = new List<Task<PartitionOutcome>>();
        Report(context, plan, outcomes, publishStarted);
        foreach (var partition in plan.Partitions)
        {
            if (running.Count >= plan.Parallelism)
            {
                var done = await Task.WhenAny(running);
                running.Remove(done);
                outcomes.Add(await done);
                Report(context, plan, outcomes, publishStarted);
            }

            running.Add(context.CallSubOrchestratorAsync<PartitionOutcome>(
                nameof(PartitionOrchestrator), new PublishInput(input, plan.Version, plan.Read, plan.StateVersion, partition, 0), new SubOrchestrationOptions { InstanceId = $"{context.InstanceId}:p{partition.Index}" }));
        }

        outcomes.AddRange(await Task.WhenAll(running));
        Report(context, plan, outcomes, publishStarted);
        var times = new StageTimes(started, publishStarted, context.CurrentUtcDateTime);
        context.SetCustomStatus(Progress("finalize", plan, outcomes, Rate(outcomes, times.Publish)));
        var summary = await context.CallActivityAsync<RunSummary>(nameof(FinalizeActivity), new FinalizeInput(input, plan.Version, plan.Read, plan.Target, outcomes.OrderBy(o => o.Partition).ToList(), times));
        while (newCommit.IsCompleted && newCommit.Result <= (plan.Version ?? long.MaxValue))
        {
            newCommit = context.WaitForExternalEvent<long>(NewCommitEvent);
        }

        if (newCommit.IsCompleted)
        {
            string next = $"{RunIds.At(context.CurrentUtcDateTime)}-v{newCommit.Result}";
            context.ContinueAsNew(input with { RunId = next });
        }

        return summary;
    }

    private static void Report(TaskOrchestrationContext context, SyncPlan plan, List<PartitionOutcome> outcomes, DateTime publishStarted) =>
        context.SetCustomStatus(Progress("publish", plan, outcomes, Rate(outcomes, context.CurrentUtcDateTime - publishStarted)));

    private static RunProgress Progress(string stage, SyncPlan plan, List<PartitionOutcome> outcomes, double rate)
    {
        var rows = outcomes.Aggregate(RowCounts.Zero, (sum, o) => sum + o.Rows);
        return new RunProgress(stage, outcomes.Count, plan.Partitions.Count, rows.Read, rows.Written, rows.Unchanged, rows.Failed, outcomes.Sum(o => o.Deferrals), rate);
    }

    private static double Rate(List<PartitionOutcome> outcomes, TimeSpan elapsed) =>
        elapsed > TimeSpan.Zero ? Math.Round(outcomes.Sum(o => o.Rows.Written) / elapsed.TotalSeconds, 1) : 0;
}
