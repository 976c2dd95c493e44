using Empower.Sync.Dataverse.Auth;

namespace Empower.Sync.Dataverse.Principals;

/// <summary>
/// One application user with its own connection pool and token, and its rate-limit state: how many requests it may
/// have in flight (AIMD between 1 and the server's <c>x-ms-dop-hint</c>), and until when it is throttled.
/// </summary>
public sealed class Principal : IDisposable
{
    private readonly object _lock = new();
    private readonly int _maxConcurrency;
    private double _limit;
    private int _cap;
    private int _inFlight;
    private DateTimeOffset _throttledUntil;
    private string? _failure;

    internal Principal(string clientId, HttpClient http, AccessTokenCache tokens, int initialConcurrency, int maxConcurrency)
    {
        ClientId = clientId;
        Http = http;
        Tokens = tokens;
        _maxConcurrency = maxConcurrency;
        _cap = Math.Min(initialConcurrency, maxConcurrency);
        _limit = _cap;
    }

    /// <summary>The principal's name in logs, metrics and errors (its client id; never its secret).</summary>
    public string ClientId { get; }

    public HttpClient Http { get; }

    internal AccessTokenCache Tokens { get; }

    public int ConcurrencyLimit
    {
        get
        {
            lock (_lock)
            {
                return (int)_limit;
            }
        }
    }

    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    public DateTimeOffset ThrottledUntil
    {
        get
        {
            lock (_lock)
            {
                return _throttledUntil;
            }
        }
    }

    public string? Failure
    {
        get
        {
            lock (_lock)
            {
                return _failure;
            }
        }
    }

    /// <summary>Free request slots now: zero while throttled, failed or full.</summary>
    public int Headroom(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _failure is not null || now < _throttledUntil ? 0 : Math.Max(0, (int)_limit - _inFlight);
        }
    }

    public bool TryAcquire(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_failure is not null || now < _throttledUntil || _inFlight >= (int)_limit)
            {
                return false;
            }

            _inFlight++;
            return true;
        }
    }

    public void Release()
    {
        lock (_lock)
        {
            _inFlight--;
        }
    }

    /// <summary>Additive increase: one more slot per round of successful requests, up to the server's hint.</summary>
    public void OnSuccess(int? dopHint)
    {
        lock (_lock)
        {
            if (dopHint is > 0)
            {
                _cap = Math.Min(dopHint.Value, _maxConcurrency);
            }

            _limit = Math.Min(_cap, _limit + (1.0 / Math.Max(1.0, _limit)));
        }
    }

    /// <summary>Multiplicative decrease, and rest until Retry-After has passed.</summary>
    public int OnThrottled(DateTimeOffset until)
    {
        lock (_lock)
        {
            if (until > _throttledUntil)
            {
                _throttledUntil = until;
            }

            _limit = Math.Max(1.0, _limit / 2);
            return (int)_limit;
        }
    }

    /// <summary>Rests until <paramref name="until"/> without changing concurrency: another host saw this principal throttled.</summary>
    public void RestUntil(DateTimeOffset until)
    {
        lock (_lock)
        {
            if (until > _throttledUntil)
            {
                _throttledUntil = until;
            }
        }
    }

    public void Fail(string reason)
    {
        lock (_lock)
        {
            _failure ??= reason;
        }
    }

    public void Dispose() => Http.Dispose();
}
