using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Finalizing;
using Empower.Sync.Pipeline.Planning;
using Empower.Sync.Pipeline.Publishing;
using Microsoft.DurableTask;

namespace Empower.Sync.Pipeline.Running;

/// <summary>
/// A run: Plan, then one <see cref="PartitionOrchestrator"/> per partition with bounded concurrency, then Finalize.
/// Progress is the custom status. History holds one activity per partition try, never one per batch. A
/// <see cref="RunEvents.NewCommit"/> naming a version newer than the one published makes the run continue as a new run
/// when it finishes, so a commit that lands during a run is published right after it. A <see cref="RunEvents.Stop"/> (or a
/// partition that stopped) ends the run early: no new partition starts, running ones are told to stop, and Finalize
/// records what was confirmed with status <c>cancelled</c>; a stage that fails ends it the same way with status
/// <c>failed</c>, and the orchestration then fails naming the report. Every run that ends leaves a report.
/// </summary>
public sealed class SyncRunOrchestrator : TaskOrchestrator<SyncRunInput, RunSummary>
{
    public override async Task<RunSummary> RunAsync(TaskOrchestrationContext context, SyncRunInput input)
    {
        // Every file of a run is under runs/<run id>/: a run id that could leave the state folder ends the run before any.
        if (RunIds.Problem(input.RunId) is { } problem)
        {
            throw new ArgumentException($"The run of '{input.Job.Name}' cannot start: {problem}");
        }

        var newCommit = context.WaitForExternalEvent<long>(RunEvents.NewCommit);
        var stop = context.WaitForExternalEvent<string>(RunEvents.Stop);
        var started = context.CurrentUtcDateTime;
        context.SetCustomStatus(new RunProgress("plan", 0, 0, 0, 0, 0, 0, 0));
        SyncPlan plan;
        try
        {
            plan = await context.CallActivityAsync<SyncPlan>(nameof(PlanActivity), input);
        }
        catch (TaskFailedException ex)
        {
            var end = stop.IsCompleted ? new RunEnd(RunStatus.Cancelled, "stopped on request during Plan", "plan")
                : new RunEnd(RunStatus.Failed, ex.FailureDetails.ErrorMessage, "plan");
            return await FinalizeAsync(context, new FinalizeInput(input, null, ReadPlan.Full("the run ended before Plan chose what to read"), null, [],
                new StageTimes(started, started, context.CurrentUtcDateTime), end, 0));
        }

        var publishStarted = context.CurrentUtcDateTime;
        var (outcomes, publishEnd) = stop.IsCompleted
            ? ([], new RunEnd(RunStatus.Cancelled, "stopped on request after Plan", "plan"))
            : await PublishAsync(context, input, plan, stop, publishStarted);
        var times = new StageTimes(started, publishStarted, context.CurrentUtcDateTime);
        context.SetCustomStatus(Progress("finalize", plan, outcomes, Rate(outcomes, times.Publish)));
        var summary = await FinalizeAsync(context, new FinalizeInput(input, plan.Version, plan.Read, plan.Target, [.. outcomes.OrderBy(o => o.Partition)],
            times, publishEnd, plan.Partitions.Count));
        while (newCommit.IsCompleted && newCommit.Result <= (plan.Version ?? long.MaxValue))
        {
            newCommit = context.WaitForExternalEvent<long>(RunEvents.NewCommit);
        }

        if (newCommit.IsCompleted && publishEnd == RunEnd.Finished)
        {
            string next = $"{RunIds.At(context.CurrentUtcDateTime)}-v{newCommit.Result}";
            context.ContinueAsNew(input with { RunId = next });
        }

        return summary;
    }

    /// <summary>Publishes the partitions until all are done, the run is stopped, or one fails; then waits for those still running.</summary>
    private static async Task<(List<PartitionOutcome> Outcomes, RunEnd End)> PublishAsync(
        TaskOrchestrationContext context, SyncRunInput input, SyncPlan plan, Task<string> stop, DateTime publishStarted)
    {
        var outcomes = new List<PartitionOutcome>();
        var running = new Dictionary<Task<PartitionOutcome>, string>();
        string? failure = null;
        Report(context, plan, outcomes, publishStarted);

        bool Ending() => failure is not null || stop.IsCompleted || outcomes.Any(o => o.Stopped);

        async Task TakeAsync(Task<PartitionOutcome> done)
        {
            running.Remove(done);
            try
            {
                outcomes.Add(await done);
            }
            catch (TaskFailedException ex)
            {
                failure ??= ex.FailureDetails.ErrorMessage;
            }

            Report(context, plan, outcomes, publishStarted);
        }

        foreach (var partition in plan.Partitions)
        {
            while (running.Count >= plan.Parallelism && !Ending())
            {
                var first = await Task.WhenAny(running.Keys.Cast<Task>().Append(stop));
                if (first is Task<PartitionOutcome> done)
                {
                    await TakeAsync(done);
                }
            }

            if (Ending())
            {
                break;
            }

            string id = $"{context.InstanceId}:p{partition.Index}";
            running.Add(context.CallSubOrchestratorAsync<PartitionOutcome>(
                nameof(PartitionOrchestrator), new PublishInput(input, plan.Version, plan.Read, plan.StateVersion, partition, 0),
                    new SubOrchestrationOptions { InstanceId = id }), id);
        }

        if (Ending())
        {
            foreach (string id in running.Values)
            {
                context.SendEvent(id, RunEvents.Stop, "");
            }
        }

        while (running.Count > 0)
        {
            await TakeAsync((Task<PartitionOutcome>)await Task.WhenAny(running.Keys));
        }

        var end = failure is not null ? new RunEnd(RunStatus.Failed, failure, "publish")
            : stop.IsCompleted || outcomes.Any(o => o.Stopped) ? new RunEnd(RunStatus.Cancelled, "stopped on request during Publish", "publish")
            : RunEnd.Finished;
        return (outcomes, end);
    }

    /// <summary>Finalize; a failed run then fails the orchestration with its error and where its report is.</summary>
    private static async Task<RunSummary> FinalizeAsync(TaskOrchestrationContext context, FinalizeInput input)
    {
        var summary = await context.CallActivityAsync<RunSummary>(nameof(FinalizeActivity), input);
        return summary.Status == RunStatus.Failed
            ? throw new RunFailedException($"{summary.Error} (report: {summary.Report})")
            : summary;
    }

    private static void Report(TaskOrchestrationContext context, SyncPlan plan, List<PartitionOutcome> outcomes, DateTime publishStarted) =>
        context.SetCustomStatus(Progress("publish", plan, outcomes, Rate(outcomes, context.CurrentUtcDateTime - publishStarted)));

    private static RunProgress Progress(string stage, SyncPlan plan, List<PartitionOutcome> outcomes, double rate)
    {
        var rows = outcomes.Aggregate(RowCounts.Zero, (sum, o) => sum + o.Rows);
        return new RunProgress(stage, outcomes.Count, plan.Partitions.Count, rows.Read, rows.Written, rows.Unchanged, rows.Failed,
            outcomes.Sum(o => o.Deferrals), rate, plan.Rows);
    }

    private static double Rate(List<PartitionOutcome> outcomes, TimeSpan elapsed) =>
        elapsed > TimeSpan.Zero ? Math.Round(outcomes.Sum(o => o.Rows.Written) / elapsed.TotalSeconds, 1) : 0;
}
