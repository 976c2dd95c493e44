namespace Empower.Sync.Tests.Architecture.Loop.A;

/// <summary>Half of a deliberate folder loop that <see cref="NamespaceCycleTests"/> must find.</summary>
internal sealed class First
{
    public B.Second? Next { get; set; }
}
