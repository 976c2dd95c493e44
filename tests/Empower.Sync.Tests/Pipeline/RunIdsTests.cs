using Empower.Sync.Pipeline.Starting;

namespace Empower.Sync.Tests.Pipeline;

public sealed class RunIdsTests
{
    [Fact]
    public void A_run_id_is_the_UTC_second_it_started()
    {
        Assert.Equal("20261126T155343Z", RunIds.At(new DateTimeOffset(2026, 11, 26, 16, 53, 43, 999, TimeSpan.FromHours(1))));
    }
}
