using System.Net;
using System.Text.Json;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Starting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;

namespace Empower.Functions.Syncs;

/// <summary>
/// <c>POST /api/syncs/{job}</c> starts a run (body optional: <c>{"runId": "...", "full": true, "resend": true}</c>) and answers with the standard
/// check-status response; <c>GET /api/syncs/{job}/runs/{id}</c> shows a run; <c>POST .../terminate</c> stops it.
/// Function-level keys guard all three.
/// </summary>
public sealed class SyncHttpFunctions(SyncStarter starter)
{
    [Function("StartSync")]
    public async Task<HttpResponseData> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "syncs/{job}")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        string job)
    {
        if (!JobNames.IsValid(job))
        {
            return await Problem(request, HttpStatusCode.BadRequest, JobNames.NotAName(job));
        }

        (string? RunId, bool Full, bool Resend) body;
        try
        {
            body = await ReadBodyAsync(request);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return await Problem(request, HttpStatusCode.BadRequest,
                $"The body must be empty or a JSON object like {{\"runId\": \"nightly-1\", \"full\": true}}: {ex.Message}");
        }

        var result = await starter.StartAsync(client, job, body.RunId, request.FunctionContext.CancellationToken, body.Full, body.Resend);
        return result.Status switch
        {
            StartStatus.Started => await client.CreateCheckStatusResponseAsync(request, result.InstanceId),
            StartStatus.UnknownJob => await Problem(request, HttpStatusCode.NotFound, $"There is no job '{job}' (no {job}.json in the job catalog)."),
            StartStatus.InvalidJob => await Problem(request, HttpStatusCode.BadRequest, $"The job '{job}' is not valid.", result.Problems),
            StartStatus.InvalidRunId => await Problem(request, HttpStatusCode.BadRequest, "The body's runId is not a valid run id.", result.Problems),
            _ => await Problem(request, HttpStatusCode.Conflict, $"A run of '{job}' is already in progress (instance '{result.InstanceId}')."),
        };
    }

    [Function("GetSyncRun")]
    public async Task<HttpResponseData> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "syncs/{job}/runs/{id}")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        string job,
        string id)
    {
        if (await FindRunAsync(client, request, job, id, withOutputs: true) is not { } state)
        {
            return await Problem(request, HttpStatusCode.NotFound, $"There is no run '{id}' of job '{job}'.");
        }

        var response = request.CreateResponse(HttpStatusCode.OK);
        await response.WriteAsJsonAsync(new
        {
            job,
            instanceId = id,
            status = state.RuntimeStatus.ToString(),
            createdAt = state.CreatedAt,
            lastUpdatedAt = state.LastUpdatedAt,
            progress = state.SerializedCustomStatus is { } progress ? JsonDocument.Parse(progress).RootElement : (JsonElement?)null,
            summary = state.SerializedOutput is { } output ? JsonDocument.Parse(output).RootElement : (JsonElement?)null,
            failure = state.FailureDetails?.ErrorMessage,
        });
        return response;
    }

    [Function("TerminateSyncRun")]
    public async Task<HttpResponseData> TerminateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "syncs/{job}/runs/{id}/terminate")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        string job,
        string id)
    {
        if (await FindRunAsync(client, request, job, id, withOutputs: false) is null)
        {
            return await Problem(request, HttpStatusCode.NotFound, $"There is no run '{id}' of job '{job}'.");
        }

        // Recursive: the partitions' sub-orchestrations stop too. Nothing of the run is recorded as published (only
        // Finalize commits the state and the watermark), so the next run sends again what this one had sent.
        await client.TerminateInstanceAsync(id, new TerminateInstanceOptions("terminated over HTTP", Recursive: true),
            request.FunctionContext.CancellationToken);
        return request.CreateResponse(HttpStatusCode.Accepted);
    }

    /// <summary>A job's run is its orchestration instance, whose id is the job's name.</summary>
    private static async Task<OrchestrationMetadata?> FindRunAsync(DurableTaskClient client, HttpRequestData request, string job,
        string id, bool withOutputs) =>
        string.Equals(id, job, StringComparison.Ordinal)
            ? await client.GetInstanceAsync(id, withOutputs, request.FunctionContext.CancellationToken)
            : null;

    /// <summary>
    /// The optional run id, <c>full</c> flag (read the whole table instead of the changes since the last run) and
    /// <c>resend</c> flag (send every row, ignoring the published state).
    /// </summary>
    private static async Task<(string? RunId, bool Full, bool Resend)> ReadBodyAsync(HttpRequestData request)
    {
        string body = await request.ReadAsStringAsync() ?? "";
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, false, false);
        }

        using var document = JsonDocument.Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("the body is not a JSON object.");
        }

        var root = document.RootElement;
        return (root.TryGetProperty("runId", out var runId) ? runId.GetString() : null,
            root.TryGetProperty("full", out var full) && full.GetBoolean(), root.TryGetProperty("resend", out var resend) && resend.GetBoolean());
    }

    /// <summary>A refusal as every HTTP function of the app answers it: <c>{"error": "…", "problems": […]}</c>.</summary>
    internal static async Task<HttpResponseData> Problem(HttpRequestData request, HttpStatusCode status, string message, IReadOnlyList<string>? problems = null)
    {
        var response = request.CreateResponse();
        await response.WriteAsJsonAsync(new { error = message, problems });
        response.StatusCode = status;
        return response;
    }
}
