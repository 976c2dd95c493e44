using Empower.Sync.Pipeline.Starting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Empower.Functions.Syncs;

/// <summary>Starts the jobs scheduled <c>nightly</c>, at <c>Empower:Schedule:Nightly</c> (NCRONTAB, default 02:00 UTC).</summary>
public sealed class NightlyTimerFunction(SyncStarter starter, ILogger<NightlyTimerFunction> logger)
{
    [Function("NightlySyncs")]
    public async Task RunAsync([TimerTrigger("%Empower:Schedule:Nightly%")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        foreach (var result in await starter.StartScheduledAsync(client, context.CancellationToken))
        {
            logger.LogInformation("Nightly start of {Job}: {Status}", result.Job, result.Status);
        }
    }
}
