using Empower.Sync.Dataverse.Writing;

namespace Empower.Sync.Tests.Dataverse.Writing;

public sealed class DeterministicIdTests
{
    [Fact]
    public void Deterministic_ids_are_rfc_version_5_uuids()
    {
        // RFC 9562 appendix A.4: the DNS namespace and "www.example.com".
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), DeterministicId.Create(dns, "www.example.com"));
        Assert.Equal(DeterministicId.For("account", "A-1"), DeterministicId.For("Account", "A-1"));
        Assert.Equal(DeterministicId.For("account", "D-2", "x"), DeterministicId.For("account", "d-2", "X"));
        Assert.NotEqual(DeterministicId.For("account", "A-1"), DeterministicId.For("contact", "A-1"));
        Assert.NotEqual(DeterministicId.For("t", "a/b", "c"), DeterministicId.For("t", "a", "b/c"));
    }
}
