using Empower.Dataverse.Emulator.Options;
using Empower.Dataverse.Emulator.Throttling;
using Microsoft.Extensions.Time.Testing;

namespace Empower.Dataverse.Emulator.Tests.Throttling;

/// <summary>The sliding-window rules on a fake clock: https://learn.microsoft.com/power-apps/developer/data-platform/api-limits.</summary>
public sealed class ServiceProtectionTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Request_limit_throttles_until_the_oldest_request_leaves_the_window()
    {
        var protection = Create(new LimitsOptions { WindowSeconds = 10, MaxRequests = 3 });
        for (int i = 0; i < 3; i++)
        {
            protection.Complete("p", 0, protection.Admit("p", 0), 0);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var throttled = protection.Admit("p", 0);
        Assert.False(throttled.Allowed);
        Assert.Equal("0x80072322", throttled.Code);
        Assert.Equal(7, throttled.RetryAfterSeconds);

        _time.Advance(TimeSpan.FromSeconds(7));
        Assert.True(protection.Admit("p", 0).Allowed);
        Assert.Equal(0, protection.Snapshot()["p"].RetryAfterViolations);
    }

    [Fact]
    public void Execution_time_limit_counts_charged_time_in_the_window()
    {
        var protection = Create(new LimitsOptions { WindowSeconds = 10, MaxExecutionMs = 1000 });
        protection.Complete("p", 0, protection.Admit("p", 0), 600);
        _time.Advance(TimeSpan.FromSeconds(4));
        protection.Complete("p", 0, protection.Admit("p", 0), 600);

        var throttled = protection.Admit("p", 0);

        Assert.Equal("0x80072321", throttled.Code);
        Assert.Equal(6, throttled.RetryAfterSeconds);
    }

    [Fact]
    public void Concurrency_limit_fails_immediately_and_clears_after_Retry_After()
    {
        var protection = Create(new LimitsOptions { MaxConcurrency = 2, ConcurrencyRetryAfterSeconds = 1 });
        var first = protection.Admit("p", 0);
        protection.Admit("p", 0);

        var third = protection.Admit("p", 0);
        protection.Complete("p", 0, first, 0);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("0x80072326", third.Code);
        Assert.Equal(1, third.RetryAfterSeconds);
        Assert.True(protection.Admit("p", 0).Allowed);
    }

    [Fact]
    public void Coming_back_before_Retry_After_is_a_violation_and_doubles_the_wait()
    {
        var protection = Create(new LimitsOptions { WindowSeconds = 10, MaxRequests = 1 });
        protection.Complete("p", 0, protection.Admit("p", 0), 0);
        var first = protection.Admit("p", 0);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        var withinGrace = protection.Admit("p", 0);
        _time.Advance(TimeSpan.FromSeconds(2));
        var early = protection.Admit("p", 0);

        Assert.Equal(10, first.RetryAfterSeconds);
        Assert.False(withinGrace.Violation);
        Assert.Equal(10, withinGrace.RetryAfterSeconds);
        Assert.True(early.Violation);
        Assert.True(early.RetryAfterSeconds >= 15);
        Assert.Equal(1, protection.Snapshot()["p"].RetryAfterViolations);
    }

    [Fact]
    public void Principals_are_limited_independently()
    {
        var protection = Create(new LimitsOptions { WindowSeconds = 10, MaxRequests = 1 });
        protection.Complete("a", 0, protection.Admit("a", 0), 0);

        Assert.False(protection.Admit("a", 0).Allowed);
        Assert.True(protection.Admit("b", 0).Allowed);
    }

    [Fact]
    public void Each_web_server_limits_a_principal_on_its_own_and_the_stats_add_them_up()
    {
        var protection = Create(new LimitsOptions { WindowSeconds = 10, MaxRequests = 1 });
        protection.Complete("a", 0, protection.Admit("a", 0), 5);

        Assert.False(protection.Admit("a", 0).Allowed);
        var other = protection.Admit("a", 1);
        Assert.True(other.Allowed);
        protection.Complete("a", 1, other, 7);
        var stats = protection.Snapshot()["a"];
        Assert.Equal((2L, 1L, 12.0), (stats.Requests, stats.Throttled, stats.ExecutionMsCharged));
        Assert.Equal([1L, 1L], stats.RequestsByWebServer.Values);
    }

    [Fact]
    public void Disabled_limits_admit_everything()
    {
        var protection = Create(new LimitsOptions { Enabled = false, MaxRequests = 1, MaxConcurrency = 1 });

        Assert.All(Enumerable.Range(0, 10), _ => Assert.True(protection.Admit("p", 0).Allowed));
    }

    private ServiceProtection Create(LimitsOptions limits) =>
        new(Microsoft.Extensions.Options.Options.Create(new EmulatorOptions { Limits = limits }), _time);
}
