using Empower.Sync.Dataverse.Writing;

namespace Empower.Sync.Tests.Dataverse.Writing;

public sealed class BatchSizeControllerTests
{
    [Fact]
    public void Batch_size_halves_when_slow_and_grows_back_to_the_configured_size()
    {
        var sizer = new BatchSizeController(1000, 10);

        Assert.Equal(500, sizer.Observe(slow: true));
        Assert.Equal(250, sizer.Observe(slow: true));
        for (int i = 0; i < 200; i++)
        {
            sizer.Observe(slow: false);
        }

        Assert.Equal(1000, sizer.Current);
    }
}
