namespace Empower.Sync.Tests.Architecture.Loop.B;

/// <summary>The other half of the loop: it uses <see cref="A.First"/>, which uses it.</summary>
internal sealed class Second
{
    public static string Name(A.First first) => first.GetType().Name;
}
