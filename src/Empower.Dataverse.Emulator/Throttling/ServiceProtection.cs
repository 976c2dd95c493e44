using Empower.Dataverse.Emulator.Options;
using Empower.Dataverse.Emulator.Protocol;
using Microsoft.Extensions.Options;

namespace Empower.Dataverse.Emulator.Throttling;

/// <summary>
/// Dataverse's service protection limits per principal and web server over a sliding window: number of requests, combined execution
/// time, and concurrent requests. A throttled principal is told when to come back (Retry-After, whole seconds); one that
/// comes back earlier is counted as a Retry-After violation and its wait doubles, as Dataverse lengthens the wait of
/// clients that keep sending. See https://learn.microsoft.com/power-apps/developer/data-platform/api-limits.
/// </summary>
public sealed class ServiceProtection(IOptions<EmulatorOptions> options, TimeProvider time)
{
    // A request that was already on its way when the 429 went out is not a violation; later ones are. One second lets such
    // requests arrive on a loaded machine (2 cores, the whole suite at once: 250 ms was not); a client that ignores
    // Retry-After keeps sending past it.
    internal static readonly TimeSpan ViolationGrace = TimeSpan.FromSeconds(1);

    private readonly LimitsOptions _limits = options.Value.Limits;
    private readonly Dictionary<(string Principal, int Server), PrincipalUsage> _usage = [];
    private readonly Lock _gate = new();

    public TimeSpan Window => TimeSpan.FromSeconds(_limits.WindowSeconds);

    /// <summary>Admits a request or answers why not; every admitted request must be completed with <see cref="Complete"/>.</summary>
    public ThrottleDecision Admit(string principal, int server)
    {
        lock (_gate)
        {
            var usage = Usage(principal, server);
            var now = time.GetUtcNow();
            if (!_limits.Enabled)
            {
                return Start(usage, now);
            }

            if (now < usage.ThrottledUntil)
            {
                bool violation = now - usage.ThrottledAt > ViolationGrace;
                if (violation)
                {
                    usage.Violations++;
                    usage.ThrottledAt = now;
                    return Reject(usage, now, usage.LastCode, usage.LastMessage, now + 2 * (usage.ThrottledUntil - now), violation: true);
                }

                // Still inside the grace after the 429: answer with the same deadline, unchanged.
                return Reject(usage, now, usage.LastCode, usage.LastMessage, usage.ThrottledUntil, violation: false, extend: false);
            }

            Purge(usage, now);
            if (usage.InFlight >= _limits.MaxConcurrency)
            {
                return Reject(usage, now, ErrorCodes.ThrottlingConcurrency,
                    $"Number of concurrent requests exceeded the limit of {_limits.MaxConcurrency}.",
                    now + TimeSpan.FromSeconds(_limits.ConcurrencyRetryAfterSeconds), violation: false);
            }

            if (usage.Entries.Count >= _limits.MaxRequests)
            {
                return Reject(usage, now, ErrorCodes.ThrottlingRequests,
                    $"Number of requests exceeded the limit of {_limits.MaxRequests} over time window of {_limits.WindowSeconds} seconds.",
                    usage.Entries.Peek().At + Window, violation: false);
            }

            if (usage.ExecutionMs >= _limits.MaxExecutionMs)
            {
                return Reject(usage, now, ErrorCodes.ThrottlingExecutionTime,
                    $"Combined execution time of incoming requests exceeded limit of {_limits.MaxExecutionMs} milliseconds over time window of " +
                        $"{_limits.WindowSeconds} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.",
                    ExecutionTimeFreesAt(usage), violation: false);
            }

            return Start(usage, now);
        }
    }

    /// <summary>Ends an admitted request and charges its modelled execution time to the window entry it started.</summary>
    public void Complete(string principal, int server, ThrottleDecision admitted, double executionMs)
    {
        lock (_gate)
        {
            var usage = Usage(principal, server);
            usage.InFlight--;
            usage.ChargedMs += executionMs;
            if (admitted.Ticket is PrincipalUsage.WindowEntry { Expired: false } entry)
            {
                entry.CostMs = executionMs;
                usage.ExecutionMs += executionMs;
            }
        }
    }

    /// <summary>Remaining requests and execution time in the window on one web server, for the <c>x-ms-ratelimit-*</c> headers.</summary>
    public (int Requests, long ExecutionMs) Remaining(string principal, int server)
    {
        lock (_gate)
        {
            var usage = Usage(principal, server);
            Purge(usage, time.GetUtcNow());
            return (Math.Max(0, _limits.MaxRequests - usage.Entries.Count), (long)Math.Max(0, _limits.MaxExecutionMs - usage.ExecutionMs));
        }
    }

    /// <summary>Per principal, over its web servers: peak concurrency is the highest on one server (the limit's scope), the rest are sums.</summary>
    public IReadOnlyDictionary<string, PrincipalStats> Snapshot()
    {
        lock (_gate)
        {
            return _usage.GroupBy(u => u.Key.Principal, StringComparer.Ordinal).ToDictionary(g => g.Key, g => new PrincipalStats(
                g.Sum(u => u.Value.Requests), g.Sum(u => u.Value.Throttled),
                g.SelectMany(u => u.Value.ThrottledByCode).GroupBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Sum(x => x.Value)),
                g.Sum(u => u.Value.Violations), g.Max(u => u.Value.PeakInFlight), Math.Round(g.Sum(u => u.Value.ChargedMs), 1), g.Sum(u => u.Value.InFlight),
                g.OrderBy(u => u.Key.Server).ToDictionary(u => u.Key.Server, u => u.Value.Requests)));
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            // Keep in-flight counts: requests still running will complete against them.
            foreach (var (name, usage) in _usage.ToList())
            {
                _usage[name] = new PrincipalUsage { InFlight = usage.InFlight };
            }
        }
    }

    private PrincipalUsage Usage(string principal, int server)
    {
        if (!_usage.TryGetValue((principal, server), out var usage))
        {
            usage = new PrincipalUsage();
            _usage[(principal, server)] = usage;
        }

        return usage;
    }

    private static ThrottleDecision Start(PrincipalUsage usage, DateTimeOffset now)
    {
        var entry = new PrincipalUsage.WindowEntry(now);
        usage.Entries.Enqueue(entry);
        usage.Requests++;
        usage.InFlight++;
        usage.PeakInFlight = Math.Max(usage.PeakInFlight, usage.InFlight);
        return new ThrottleDecision(true) { Ticket = entry };
    }

    private void Purge(PrincipalUsage usage, DateTimeOffset now)
    {
        while (usage.Entries.Count > 0 && now - usage.Entries.Peek().At >= Window)
        {
            var expired = usage.Entries.Dequeue();
            expired.Expired = true;
            usage.ExecutionMs -= expired.CostMs;
        }

        if (usage.Entries.Count == 0)
        {
            usage.ExecutionMs = 0;
        }
    }

    // The earliest moment enough charged time leaves the window to bring the total under the limit.
    private DateTimeOffset ExecutionTimeFreesAt(PrincipalUsage usage)
    {
        double total = usage.ExecutionMs;
        foreach (var entry in usage.Entries)
        {
            total -= entry.CostMs;
            if (total < _limits.MaxExecutionMs)
            {
                return entry.At + Window;
            }
        }

        return usage.Entries.Last().At + Window;
    }

    private static ThrottleDecision Reject(PrincipalUsage usage, DateTimeOffset now, string code, string message, DateTimeOffset until,
        bool violation, bool extend = true)
    {
        int seconds = Math.Max(1, (int)Math.Ceiling((until - now).TotalSeconds));
        if (extend)
        {
            if (!violation)
            {
                usage.ThrottledAt = now;
            }

            usage.ThrottledUntil = now + TimeSpan.FromSeconds(seconds);
        }

        usage.LastCode = code;
        usage.LastMessage = message;
        usage.Throttled++;
        usage.ThrottledByCode[code] = usage.ThrottledByCode.GetValueOrDefault(code) + 1;
        return new ThrottleDecision(false, code, message, seconds, violation);
    }
}
