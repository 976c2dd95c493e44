using Empower.Sync.Dataverse.Principals;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Principals;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask;

namespace Empower.Sync.Pipeline.Publishing;

/// <summary>
/// One partition: publish it; while rows come back deferred, wait on a durable timer until their retry time (layer 2)
/// and publish just those rows again, up to the job's <c>maxDeferrals</c>; rows still deferred then fail with stage
/// <c>deferral</c>. A <see cref="RunEvents.Stop"/> (the run is stopping) ends the wait: the rows still
/// deferred are counted as not sent.
/// </summary>
public sealed class PartitionOrchestrator : TaskOrchestrator<PublishInput, PartitionOutcome>
{
    public override async Task<PartitionOutcome> RunAsync(TaskOrchestrationContext context, PublishInput input)
    {
        var stop = context.WaitForExternalEvent<string>(RunEvents.Stop);
        var result = await PublishAsync(context, input);
        var rows = result.Rows;
        long deferredThenWritten = 0;
        var usage = new List<PrincipalUsage>(result.Usage);
        var principalsOut = new List<PrincipalProblem>(result.PrincipalsOut);
        var failedFiles = new List<string>();
        AddFailedFile(failedFiles, result);
        int deferrals = 0;
        bool stopped = result.Stopped;
        while (result.Deferred.Count > 0)
        {
            bool giveUp = deferrals >= input.Run.Job.MaxDeferrals;
            if (!giveUp)
            {
                deferrals++;
                var at = result.RetryAt ?? context.CurrentUtcDateTime;
                if (at.UtcDateTime > context.CurrentUtcDateTime && !stop.IsCompleted)
                {
                    using var wait = new CancellationTokenSource();
                    var timer = context.CreateTimer(at.UtcDateTime, wait.Token);
                    if (await Task.WhenAny(timer, stop) == stop)
                    {
                        wait.Cancel();
                    }
                }
            }

            if (stop.IsCompleted)
            {
                rows += RowCounts.Zero with { NotSent = result.Deferred.Count };
                stopped = true;
                break;
            }

            result = await PublishAsync(context, input with { Attempt = deferrals + (giveUp ? 1 : 0), OnlyRows = result.Deferred, GiveUp = giveUp });
            // A later try reads only rows counted by the first, so only its outcomes add up.
            rows += result.Rows with { Read = 0, Superseded = 0 };
            deferredThenWritten += result.Rows.Written;
            usage.AddRange(result.Usage);
            principalsOut.AddRange(result.PrincipalsOut);
            AddFailedFile(failedFiles, result);
            stopped |= result.Stopped;
            if (giveUp)
            {
                break;
            }
        }

        return new PartitionOutcome(
            input.Partition.Index, rows, deferredThenWritten, deferrals, PrincipalUsage.Sum(usage),
                PrincipalProblem.Distinct(principalsOut), stopped, failedFiles);
    }

    private static void AddFailedFile(List<string> files, PublishResult result)
    {
        if (result.FailedFile is { } file)
        {
            files.Add(file);
        }
    }

    /// <summary>One publish try; with the entity, it first learns which principals rest and afterwards reports its own throttles.</summary>
    private static async Task<PublishResult> PublishAsync(TaskOrchestrationContext context, PublishInput input)
    {
        if (!input.Run.UsePrincipalsEntity)
        {
            return await context.CallActivityAsync<PublishResult>(nameof(PublishActivity), input);
        }

        var entity = new EntityInstanceId(PrincipalsEntity.Name, input.Run.Job.Name);
        var resting = await context.Entities.CallEntityAsync<IReadOnlyList<PrincipalThrottle>>(entity, nameof(PrincipalsEntity.Resting),
            new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero));
        var result = await context.CallActivityAsync<PublishResult>(nameof(PublishActivity), input with { Avoid = resting });
        foreach (var throttle in result.Throttles)
        {
            await context.Entities.CallEntityAsync(entity, nameof(PrincipalsEntity.ReportThrottled), throttle);
        }

        return result;
    }
}
