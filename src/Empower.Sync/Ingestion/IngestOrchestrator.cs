using Microsoft.DurableTask;

namespace Empower.Sync.Ingestion;

/// <summary>
/// One ingest run as a durable orchestration (instance <c>ingest-{job}</c>, one at a time). A step Dataverse throttled
/// past the sender's wait comes back with its retry time: the orchestration waits on a durable timer (layer 2, no
/// activity held) and runs the next step — a snapshot from the page it stopped at, a changes read from the table's
/// link — up to the job's <c>maxDeferrals</c>. The activity is also retried on failure: a step that failed committed
/// nothing, and a retry reads from the link the table holds.
/// </summary>
public sealed class IngestOrchestrator : TaskOrchestrator<IngestRunInput, IngestResult>
{
    public static readonly TaskOptions Retry = new(new TaskRetryOptions(new RetryPolicy(3, TimeSpan.FromSeconds(5))));

    public static string InstanceId(string job) => $"ingest-{job}";

    public override async Task<IngestResult> RunAsync(TaskOrchestrationContext context, IngestRunInput input)
    {
        var started = context.CurrentUtcDateTime;
        var step = await context.CallActivityAsync<IngestStep>(nameof(IngestActivity), input, Retry);
        int deferrals = 0;
        while (step.RetryAt is { } at)
        {
            if (++deferrals > input.Job.MaxDeferrals)
            {
                throw new InvalidOperationException(
                    $"Dataverse throttled the ingest job '{input.Job.Name}' past {input.Job.MaxDeferrals} deferrals (maxDeferrals); nothing was committed, " +
                        $"and the next run starts again from the table's delta link.");
            }

            if (at.UtcDateTime > context.CurrentUtcDateTime)
            {
                await context.CreateTimer(at.UtcDateTime, CancellationToken.None);
            }

            step = await context.CallActivityAsync<IngestStep>(nameof(IngestActivity), input with { Resume = step.Resume }, Retry);
        }

        return step.Result! with { Deferrals = deferrals, Duration = context.CurrentUtcDateTime - started };
    }
}
