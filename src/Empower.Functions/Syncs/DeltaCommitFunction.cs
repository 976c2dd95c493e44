using Empower.Sync.Pipeline.Starting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Empower.Functions.Syncs;

/// <summary>
/// A new Delta commit (<c>_delta_log/NNN.json</c>) reported by Event Grid starts the jobs that read that table with
/// <c>onNewCommit</c>. The watched container is <c>Empower:Triggers:Container</c>; the storage connection is
/// <c>EmpowerLake</c>.
/// </summary>
public sealed class DeltaCommitFunction(SyncStarter starter, ILogger<DeltaCommitFunction> logger)
{
    [Function("DeltaCommitSyncs")]
    public async Task RunAsync(
        [BlobTrigger("%Empower:Triggers:Container%/{*path}", Source = BlobTriggerSource.EventGrid, Connection = "EmpowerLake")] Uri blob,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        foreach (var result in await starter.StartForCommitAsync(client, blob.AbsoluteUri, context.CancellationToken))
        {
            logger.LogInformation("Commit {Commit} started {Job}: {Status}", blob, result.Job, result.Status);
        }
    }
}
