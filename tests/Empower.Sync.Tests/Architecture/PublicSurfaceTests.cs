using System.Reflection;
using Empower.Sync.FailedRows;
using Empower.Testing;
using Empower.Testing.Architecture;

namespace Empower.Sync.Tests.Architecture;

/// <summary>
/// Empower.Sync's public types are the ones its hosts (the Functions app, the CLI, the in-process runner) use;
/// everything else is internal (docs/architecture.md, "One way to do each thing").
/// </summary>
public sealed class PublicSurfaceTests
{
    private static readonly string Configuration = typeof(PublicSurfaceTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    private static string Host(string project, string assembly) =>
        Path.Combine(RepositoryRoot.Path, "src", project, "bin", Configuration, "net10.0", assembly + ".dll");

    private static readonly string[] Hosts =
    [
        Host("Empower.Functions", "Empower.Functions"),
        Host("Empower.Cli", "empower"),
        Host("Empower.InProcess", "Empower.InProcess"),
    ];

    [Fact]
    public void Every_public_type_is_one_a_host_uses()
    {
        var unneeded = PublicSurface.Unneeded(typeof(FailedRow).Assembly.Location, Hosts);

        Assert.True(unneeded.Count == 0, $"Public but used by no host, so make them internal:\n{string.Join("\n", unneeded)}");
    }

    [Fact]
    public void A_type_only_the_CLI_uses_is_unneeded_when_the_CLI_is_left_out()
    {
        var unneeded = PublicSurface.Unneeded(typeof(FailedRow).Assembly.Location, Hosts.Where(h => !h.EndsWith("empower.dll", StringComparison.Ordinal)));

        Assert.Contains("Empower.Sync.FailedRows.FailedRowReplayer", unneeded);
        Assert.DoesNotContain("Empower.Sync.Pipeline.Contracts.SyncRunInput", unneeded);
    }
}
