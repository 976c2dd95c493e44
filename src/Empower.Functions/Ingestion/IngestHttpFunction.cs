using System.Net;
using Empower.Functions.Syncs;
using Empower.Sync.Ingestion;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Starting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;

namespace Empower.Functions.Ingestion;

/// <summary><c>POST /api/ingest/{job}</c> (function key): starts a run of an ingest job now, answering with the standard check-status response.</summary>
public sealed class IngestHttpFunction(IngestStarter starter)
{
    [Function("StartIngest")]
    public async Task<HttpResponseData> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ingest/{job}")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        string job)
    {
        if (!JobNames.IsValid(job))
        {
            return await SyncHttpFunctions.Problem(request, HttpStatusCode.BadRequest, JobNames.NotAName(job));
        }

        var result = await starter.StartAsync(client, job, request.FunctionContext.CancellationToken);
        return result.Status switch
        {
            StartStatus.Started => await client.CreateCheckStatusResponseAsync(request, result.InstanceId),
            StartStatus.UnknownJob => await SyncHttpFunctions.Problem(request, HttpStatusCode.NotFound,
                $"There is no job '{job}' (no {job}.json in the job catalog)."),
            StartStatus.InvalidJob => await SyncHttpFunctions.Problem(request, HttpStatusCode.BadRequest,
                $"'{job}' is not a valid ingest job.", result.Problems),
            _ => await SyncHttpFunctions.Problem(request, HttpStatusCode.Conflict,
                $"A run of '{job}' is already in progress (instance '{result.InstanceId}')."),
        };
    }
}
