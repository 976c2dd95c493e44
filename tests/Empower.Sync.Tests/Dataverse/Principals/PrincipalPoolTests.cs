using Empower.Sync.Dataverse.Principals;
using Microsoft.Extensions.Time.Testing;

namespace Empower.Sync.Tests.Dataverse.Principals;

public sealed class PrincipalPoolTests
{
    [Fact]
    public async Task The_pool_prefers_headroom_skips_throttled_principals_and_defers_past_the_deadline()
    {
        var time = new FakeTimeProvider();
        using var pool = new PrincipalPool(
            [new Principal("a", new HttpClient(), null!, 1, 52), new Principal("b", new HttpClient(), null!, 2, 52)], time);

        var (first, _) = await pool.AcquireAsync(time.GetUtcNow(), CancellationToken.None);
        pool.Throttle(pool.Principals[1], time.GetUtcNow().AddSeconds(30), "0x80072322");
        var (second, _) = await pool.AcquireAsync(time.GetUtcNow(), CancellationToken.None);
        second!.Dispose();
        var (third, _) = await pool.AcquireAsync(time.GetUtcNow(), CancellationToken.None);
        third!.Dispose();
        pool.Throttle(pool.Principals[0], time.GetUtcNow().AddSeconds(20), "0x80072321");
        var (none, retryAt) = await pool.AcquireAsync(time.GetUtcNow().AddSeconds(10), CancellationToken.None);

        Assert.Equal("b", first!.Principal.ClientId);
        Assert.Equal("a", second.Principal.ClientId);
        Assert.Equal("a", third.Principal.ClientId);
        Assert.Null(none);
        Assert.Equal(time.GetUtcNow().AddSeconds(20), retryAt);
    }

    [Fact]
    public async Task When_every_principal_failed_the_error_gives_each_reason_once()
    {
        using var pool = new PrincipalPool(
            [new Principal("app-1", new HttpClient(), null!, 1, 52), new Principal("app-2", new HttpClient(), null!, 1, 52),
                new Principal("app-3", new HttpClient(), null!, 1, 52)],
            TimeProvider.System);
        pool.Fail(pool.Principals[0], "the identity provider refused client id app-1: AADSTS7000215");
        pool.Fail(pool.Principals[1], "cannot reach the token endpoint");
        pool.Fail(pool.Principals[2], "cannot reach the token endpoint");

        var ex = await Assert.ThrowsAsync<NoUsablePrincipalException>(() => pool.AcquireAsync(DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Equal("No principal can write to Dataverse: the identity provider refused client id app-1: AADSTS7000215; cannot reach the " +
            "token endpoint", ex.Message);
    }
}
