using Empower.Sync.Dataverse.Auth;

namespace Empower.Sync.Tests.Dataverse.Auth;

public sealed class PinnedCertificateHandlerTests
{
    [Fact]
    public void The_pinned_handler_accepts_only_its_certificate()
    {
        using var handler = PinnedCertificateHandler.Create("00");

        Assert.NotNull(handler.ServerCertificateCustomValidationCallback);
        Assert.False(handler.ServerCertificateCustomValidationCallback!(null!, null, null, System.Net.Security.SslPolicyErrors.None));
    }
}
