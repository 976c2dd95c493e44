using System.Globalization;
using Empower.Dataverse.Emulator.Auth;
using Empower.Dataverse.Emulator.Batch;
using Empower.Dataverse.Emulator.Dispatch;
using Empower.Dataverse.Emulator.Faults;
using Empower.Dataverse.Emulator.Options;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Stats;
using Empower.Dataverse.Emulator.Throttling;
using Microsoft.Extensions.Options;

namespace Empower.Dataverse.Emulator.Endpoints;

/// <summary>
/// The <c>/api/data/v9.2/</c> surface: bearer authentication, service protection, fault injection, dispatch, then the
/// cost model's delay — in the order a real web server applies them.
/// </summary>
public sealed class WebApiEndpoint(
    TokenService tokens,
    ServiceProtection protection,
    WebServerRouter servers,
    FaultInjector faults,
    WebApiDispatcher dispatcher,
    BatchProcessor batches,
    EmulatorStats stats,
    IOptions<EmulatorOptions> options,
    TimeProvider time)
{
    public const string ServicePath = "/api/data/v9.2/";

    public async Task HandleAsync(HttpContext context)
    {
        var http = context.Request;
        var serviceRoot = new Uri($"{http.Scheme}://{http.Host}{ServicePath}");
        var principal = Authenticate(http);
        if (principal is null)
        {
            context.Response.Headers.WWWAuthenticate = $"Bearer authorization_uri={http.Scheme}://{http.Host}/{options.Value.Tenant}/oauth2/authorize, " +
                $"resource_id={http.Scheme}://{http.Host}/";
            await WriteAsync(context, ApiResponse.Error(new DataverseException(401, ErrorCodes.Unauthorized,
                "The request has no valid bearer token. Get one from the emulator's token endpoint (/{tenant}/oauth2/v2.0/token) with a registered " +
                    "client id and secret.")));
            return;
        }

        int server = servers.Route(http.Cookies[WebServerRouter.AffinityCookie]);
        context.Response.Headers.SetCookie = servers.SetCookie(server);
        var decision = protection.Admit(principal.ClientId, server);
        if (!decision.Allowed)
        {
            context.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await WriteAsync(context, ApiResponse.Error(new DataverseException(429, decision.Code!, decision.Message!)), (principal, server));
            return;
        }

        double charged = 0;
        try
        {
            var fault = faults.Draw();
            switch (fault)
            {
                case FaultKind.ServiceUnavailable:
                    await WriteAsync(context, ApiResponse.Error(new DataverseException(503, ErrorCodes.UnexpectedError,
                        "The service is temporarily unavailable (injected fault).")), (principal, server));
                    return;
                case FaultKind.TransientError:
                    await WriteAsync(context, ApiResponse.Error(new DataverseException(500, ErrorCodes.GenericSqlError,
                        "Generic SQL error: a timeout occurred (injected transient fault).")), (principal, server));
                    return;
                case FaultKind.ConnectionReset:
                    context.Abort();
                    return;
            }

            using var reader = new StreamReader(http.Body);
            string? body = await reader.ReadToEndAsync(context.RequestAborted);
            var request = new ApiRequest(http.Method, DecodedPath(context),
                http.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
                http.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.Length == 0 ? null : body, serviceRoot);
            var cost = new OperationCost();
            var response = request.Path == "$batch"
                ? batches.Process(request, principal, cost)
                : dispatcher.Dispatch(request, principal, cost);

            charged = cost.Milliseconds(options.Value.Cost);
            var delay = TimeSpan.FromMilliseconds(charged) + (fault == FaultKind.SlowResponse ? faults.SlowResponseDelay : TimeSpan.Zero);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, time, context.RequestAborted);
            }

            if (fault == FaultKind.DropResponseAfterCommit)
            {
                context.Abort();
                return;
            }

            await WriteAsync(context, response, (principal, server));
        }
        finally
        {
            protection.Complete(principal.ClientId, server, decision, charged);
        }
    }

    private EmulatorPrincipal? Authenticate(HttpRequest http)
    {
        string? header = http.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? tokens.Validate(header["Bearer ".Length..].Trim())
            : null;
    }

    private async Task WriteAsync(HttpContext context, ApiResponse response, (EmulatorPrincipal Principal, int Server)? caller = null)
    {
        stats.Responded(response.Status);
        var headers = context.Response.Headers;
        context.Response.StatusCode = response.Status;
        headers["OData-Version"] = "4.0";
        headers["x-ms-service-request-id"] = Guid.NewGuid().ToString();
        headers["x-ms-dop-hint"] = options.Value.DopHint.ToString(CultureInfo.InvariantCulture);
        if (caller is var (principal, server))
        {
            var (requests, executionMs) = protection.Remaining(principal.ClientId, server);
            headers["x-ms-ratelimit-burst-remaining-xrm-requests"] = requests.ToString(CultureInfo.InvariantCulture);
            // Seconds with a grouping separator and two decimals, as captured real responses show it: "1,200.00".
            headers["x-ms-ratelimit-time-remaining-xrm-requests"] = (executionMs / 1000.0).ToString("N2", CultureInfo.InvariantCulture);
        }

        foreach (var (name, value) in response.Headers)
        {
            headers[name] = value;
        }

        if (response.Body is not null || response.Text is not null)
        {
            context.Response.ContentType = response.ContentType;
            await context.Response.WriteAsync(response.Text ?? response.Body!.ToJsonString(EmulatorJson.Options), context.RequestAborted);
        }
    }

    /// <summary>
    /// The request's path below the service root, decoded once from what the client sent: the server's own decoded path
    /// keeps <c>%2F</c> encoded, and decoding that again would turn a key's <c>%25</c> into a second escape.
    /// </summary>
    private static string DecodedPath(HttpContext context)
    {
        string raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value!;
        int query = raw.IndexOf('?', StringComparison.Ordinal);
        string path = query < 0 ? raw : raw[..query];
        return Uri.UnescapeDataString(path[(path.IndexOf(ServicePath, StringComparison.OrdinalIgnoreCase) + ServicePath.Length)..]);
    }
}
