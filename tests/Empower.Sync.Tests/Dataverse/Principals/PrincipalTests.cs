using Empower.Sync.Dataverse.Principals;
using Microsoft.Extensions.Time.Testing;

namespace Empower.Sync.Tests.Dataverse.Principals;

public sealed class PrincipalTests
{
    [Fact]
    public void Concurrency_grows_additively_up_to_the_hint_and_halves_on_throttling()
    {
        var time = new FakeTimeProvider();
        using var principal = new Principal("p", new HttpClient(), null!, initialConcurrency: 2, maxConcurrency: 52);

        for (int i = 0; i < 200; i++)
        {
            principal.OnSuccess(dopHint: 8);
        }

        Assert.Equal(8, principal.ConcurrencyLimit);
        principal.OnThrottled(time.GetUtcNow().AddSeconds(5));
        Assert.Equal(4, principal.ConcurrencyLimit);
        Assert.Equal(0, principal.Headroom(time.GetUtcNow()));
        Assert.False(principal.TryAcquire(time.GetUtcNow()));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(4, principal.Headroom(time.GetUtcNow()));
    }
}
