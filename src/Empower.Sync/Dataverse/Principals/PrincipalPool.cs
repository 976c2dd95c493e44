using Empower.Sync.Dataverse.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Empower.Sync.Dataverse.Principals;

/// <summary>
/// Routes each request to the principal with the most free slots. Throttled principals rest until their Retry-After
/// has passed while the others keep working; failed principals are out. When every usable principal is throttled
/// for longer than the caller can wait, <see cref="AcquireAsync"/> says until when, so the work can be deferred.
/// </summary>
public sealed class PrincipalPool : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private TaskCompletionSource _changed = NewSignal();

    public PrincipalPool(IReadOnlyList<Principal> principals, TimeProvider time, ILogger? logger = null)
    {
        if (principals.Count == 0)
        {
            throw new ArgumentException("The pool needs at least one principal.", nameof(principals));
        }

        Principals = principals;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    public IReadOnlyList<Principal> Principals { get; }

    /// <summary>The total request slots of the usable principals now (for sizing parallel senders).</summary>
    public int Capacity => Principals.Where(p => p.Failure is null).Sum(p => p.ConcurrencyLimit);

    /// <summary>A slot on the principal with the most headroom, or no lease and the time to retry when all rest past <paramref name="deadline"/>.</summary>
    internal async Task<(PrincipalLease? Lease, DateTimeOffset RetryAt)> AcquireAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            DateTimeOffset? wakeAt;
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                var usable = Principals.Where(p => p.Failure is null).ToList();
                if (usable.Count == 0)
                {
                    throw new NoUsablePrincipalException(
                        "No principal can write to Dataverse: " + string.Join("; ", Principals.Select(p => p.Failure).Distinct()));
                }

                var best = usable.Select(p => (Principal: p, Headroom: p.Headroom(now))).Where(p => p.Headroom > 0)
                    .OrderByDescending(p => p.Headroom).ThenBy(p => p.Principal.InFlight).Select(p => p.Principal).FirstOrDefault();
                if (best is not null && best.TryAcquire(now))
                {
                    DataverseTelemetry.InFlight.Add(1, new KeyValuePair<string, object?>(DataverseTelemetry.PrincipalTag, best.ClientId));
                    return (new PrincipalLease(best, this), now);
                }

                // Principals that are only busy free up when a request ends; throttled ones when their time is up.
                bool anyBusy = usable.Any(p => p.ThrottledUntil <= now);
                wakeAt = usable.Where(p => p.ThrottledUntil > now).Select(p => (DateTimeOffset?)p.ThrottledUntil).Min();
                if (!anyBusy && wakeAt > deadline)
                {
                    return (null, wakeAt.Value);
                }

                changed = _changed.Task;
            }

            var waits = new List<Task> { changed };
            if (wakeAt is { } at)
            {
                waits.Add(Task.Delay(at - _time.GetUtcNow() is { } d && d > TimeSpan.Zero ? d : TimeSpan.Zero, _time, cancellationToken));
            }

            await Task.WhenAny(waits).WaitAsync(cancellationToken);
        }
    }

    /// <summary>Records a 429 for a principal: it rests until <paramref name="until"/> (Retry-After plus jitter).</summary>
    public void Throttle(Principal principal, DateTimeOffset until, string code)
    {
        int concurrency = principal.OnThrottled(until);
        DataverseTelemetry.Throttled.Add(1, new(DataverseTelemetry.PrincipalTag, principal.ClientId), new("empower.dataverse.code", code));
        DataverseLog.Throttled(_logger, principal.ClientId, code, until - _time.GetUtcNow(), concurrency);
        Signal();
    }

    public void Fail(Principal principal, string reason)
    {
        principal.Fail(reason);
        DataverseLog.PrincipalFailed(_logger, principal.ClientId, reason);
        Signal();
    }

    internal void Signal()
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _changed;
            _changed = NewSignal();
        }

        previous.TrySetResult();
    }

    public void Dispose()
    {
        foreach (var principal in Principals)
        {
            principal.Dispose();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
