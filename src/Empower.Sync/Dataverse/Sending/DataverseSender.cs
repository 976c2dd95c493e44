using System.Diagnostics;
using System.Net.Http.Headers;
using Azure.Identity;
using Empower.Sync.Dataverse.Auth;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Dataverse.Errors;
using Empower.Sync.Dataverse.Principals;
using Empower.Sync.Dataverse.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace Empower.Sync.Dataverse.Sending;

/// <summary>
/// Layer-1 rate-limit handling. Each try takes a slot on the principal with the most headroom; a 429 rests that
/// principal until its Retry-After (plus jitter) and the request goes at once to another principal; transient errors
/// (5xx, timeouts, resets) back off exponentially with jitter through Polly, within a per-request budget. When no
/// principal can take the request within <see cref="DataverseOptions.MaxThrottleWait"/>, or the budget is spent, the
/// request is handed back as deferred with the earliest time to try again (layer 2 waits on a durable timer).
/// </summary>
internal sealed class DataverseSender
{
    private const int MaxReroutes = 200;
    private readonly PrincipalPool _pool;
    private readonly DataverseOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<AttemptOutcome> _transientRetry;

    public DataverseSender(PrincipalPool pool, DataverseOptions options, TimeProvider time, ILogger? logger = null)
    {
        _pool = pool;
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        var pipeline = new ResiliencePipelineBuilder<AttemptOutcome> { TimeProvider = time };
        // One attempt (MaxAttempts = 1, which validation allows) means no retry strategy: Polly refuses zero retries.
        if (options.MaxAttempts > 1)
        {
            pipeline.AddRetry(new RetryStrategyOptions<AttemptOutcome>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.Kind == AttemptKind.Transient),
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(30),
                OnRetry = args =>
                {
                    DataverseTelemetry.Retries.Add(1, new KeyValuePair<string, object?>("empower.dataverse.reason", "transient"));
                    return ValueTask.CompletedTask;
                },
            });
        }

        _transientRetry = pipeline.Build();
    }

    public PrincipalPool Pool => _pool;

    public TimeProvider Time => _time;

    /// <summary>Requests worth having in flight at once: every principal at its concurrency cap.</summary>
    public int MaxConcurrentRequests => Math.Max(1, _pool.Principals.Count * _options.MaxConcurrencyPerPrincipal);

    /// <summary>When work deferred now (throttled or failing beyond what one activity waits for) is worth trying again.</summary>
    public DateTimeOffset DeferredRetryAt => _time.GetUtcNow() + _options.MaxThrottleWait;

    /// <summary>Sends the request built by <paramref name="build"/> (called once per try) until it succeeds, fails for good, or is deferred.</summary>
    public async Task<SendResult> SendAsync(string operation, int records, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        for (int reroutes = 0; ; reroutes++)
        {
            var outcome = await _transientRetry.ExecuteAsync(
                async (state, ct) => await AttemptAsync(state.operation, state.records, state.build, ct),
                (operation, records, build),
                cancellationToken);
            switch (outcome.Kind)
            {
                case AttemptKind.Succeeded:
                    return new SendResult(SendStatus.Succeeded, outcome.Body, null, outcome.RetryAt, outcome.Duration, outcome.Slow, outcome.Principal);
                case AttemptKind.Failed:
                    return new SendResult(SendStatus.Failed, outcome.Body, outcome.Error, outcome.RetryAt, outcome.Duration, outcome.Slow, outcome.Principal);
                case AttemptKind.Deferred:
                    return SendResult.Deferred(outcome.RetryAt, outcome.Error?.Message ?? "every principal is throttled");
                case AttemptKind.Transient:
                    return SendResult.Deferred(DeferredRetryAt, $"still failing after {_options.MaxAttempts} attempts: {outcome.Error}");
                case AttemptKind.Rerouted when reroutes >= MaxReroutes:
                    return SendResult.Deferred(DeferredRetryAt, $"throttled {reroutes} times in a row: {outcome.Error}");
                default:
                    DataverseTelemetry.Retries.Add(1, new KeyValuePair<string, object?>("empower.dataverse.reason", "throttled"));
                    continue;
            }
        }
    }

    private async Task<AttemptOutcome> AttemptAsync(string operation, int records, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var (lease, retryAt) = await _pool.AcquireAsync(_time.GetUtcNow() + _options.MaxThrottleWait, cancellationToken);
        if (lease is null)
        {
            return new AttemptOutcome(AttemptKind.Deferred, "", new DataverseError(429, "", $"every principal is throttled until {retryAt:O}"),
                retryAt, TimeSpan.Zero, false);
        }

        using (lease)
        {
            var principal = lease.Principal;
            var tag = new KeyValuePair<string, object?>(DataverseTelemetry.PrincipalTag, principal.ClientId);
            using var activity = DataverseTelemetry.StartRequest(operation, principal.ClientId, records);
            long started = _time.GetTimestamp();
            try
            {
                string token;
                try
                {
                    token = await principal.Tokens.GetAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is AuthenticationFailedException or CredentialUnavailableException)
                {
                    _pool.Fail(principal, await TokenErrors.ExplainAsync(ex, principal.ClientId, _options, cancellationToken));
                    return new AttemptOutcome(AttemptKind.Rerouted, "", DataverseError.FromException(ex), default, TimeSpan.Zero, false);
                }

                using var request = build();
                activity?.SetTag(DataverseTelemetry.EntitySetTag, DataverseTelemetry.EntitySetOf(request.RequestUri));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.RequestTimeout);
                using var response = await principal.Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                string body = await response.Content.ReadAsStringAsync(cancellationToken);
                var duration = _time.GetElapsedTime(started);
                int status = (int)response.StatusCode;
                DataverseTelemetry.Requests.Add(1, tag, new("http.response.status_code", status));
                PrincipalUsageRecorder.Request(principal.ClientId);
                DataverseTelemetry.Latency.Record(duration.TotalSeconds, tag);
                activity?.SetTag("http.response.status_code", status);
                bool slow = duration > _options.SlowRequest;
                if (response.IsSuccessStatusCode)
                {
                    principal.OnSuccess(DopHint(response));
                    return new AttemptOutcome(AttemptKind.Succeeded, body, null, default, duration, slow, principal.ClientId);
                }

                var error = DataverseError.Parse(response.StatusCode, body);
                switch (error.Kind)
                {
                    case ErrorKind.Throttled:
                        PrincipalUsageRecorder.Throttled(principal.ClientId);
                        _pool.Throttle(principal, _time.GetUtcNow() + RetryAfter(response) + Jitter(), error.Code);
                        return new AttemptOutcome(AttemptKind.Rerouted, body, error, default, duration, slow);
                    case ErrorKind.Authentication:
                        _pool.Fail(principal, $"client id {principal.ClientId} is not allowed to do this: {error}");
                        return new AttemptOutcome(AttemptKind.Rerouted, body, error, default, duration, slow);
                    case ErrorKind.Transient:
                        if (status == 401)
                        {
                            principal.Tokens.Invalidate();
                        }

                        DataverseLog.Transient(_logger, principal.ClientId, records, 0, error.ToString());
                        PrincipalUsageRecorder.Retry(principal.ClientId);
                        return new AttemptOutcome(AttemptKind.Transient, body, error, default, duration, slow, principal.ClientId);
                    default:
                        return new AttemptOutcome(AttemptKind.Failed, body, error, default, duration, slow, principal.ClientId);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // A reset, a refused connection or our own timeout: the server may or may not have done the work.
                var duration = _time.GetElapsedTime(started);
                DataverseTelemetry.Requests.Add(1, tag, new("http.response.status_code", 0));
                PrincipalUsageRecorder.Request(principal.ClientId);
                PrincipalUsageRecorder.Retry(principal.ClientId);
                activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
                DataverseLog.Transient(_logger, principal.ClientId, records, 0, FirstLine(ex.Message));
                return new AttemptOutcome(AttemptKind.Transient, "", DataverseError.FromException(ex), default, duration,
                    ex is OperationCanceledException, principal.ClientId);
            }
        }
    }

    private static TimeSpan RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => TimeSpan.FromSeconds(1),
        };

    /// <summary>A little extra wait, so a principal never comes back a moment before its Retry-After is over.</summary>
    private static TimeSpan Jitter() => TimeSpan.FromMilliseconds(100 + Random.Shared.Next(0, 200));

    private static int? DopHint(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-ms-dop-hint", out var values) && int.TryParse(values.FirstOrDefault(), out int hint) ? hint : null;

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
