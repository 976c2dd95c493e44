using Empower.Sync.Ingestion;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Empower.Functions.Ingestion;

/// <summary>
/// Starts a run of every ingest job whose last run has ended, at <c>Empower:Schedule:Ingest</c> (NCRONTAB, default every
/// minute): the lake stays about a minute behind Dataverse.
/// </summary>
public sealed class IngestTimerFunction(IngestStarter starter, ILogger<IngestTimerFunction> logger)
{
    [Function("IngestJobs")]
    public async Task RunAsync([TimerTrigger("%Empower:Schedule:Ingest%")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        foreach (var result in await starter.StartAllAsync(client, context.CancellationToken))
        {
            logger.LogInformation("Ingest start of {Job}: {Status}", result.Job, result.Status);
        }
    }
}
