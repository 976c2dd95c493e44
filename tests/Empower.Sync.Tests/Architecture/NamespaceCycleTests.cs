using System.Reflection;
using Empower.Dataverse.Emulator.Hosting;
using Empower.InProcess;
using Empower.Sync.FailedRows;
using Empower.Testing.Architecture;

namespace Empower.Sync.Tests.Architecture;

/// <summary>
/// No two folders depend on each other, directly or round a loop, at any level (docs/architecture.md, "Layers"). The
/// Functions app and the CLI are checked in their own test projects.
/// </summary>
public sealed class NamespaceCycleTests
{
    public static TheoryData<string> Assemblies => ["Empower.Sync", "Empower.InProcess", "Empower.Dataverse.Emulator"];

    private static Assembly Load(string name) => name switch
    {
        "Empower.Sync" => typeof(FailedRow).Assembly,
        "Empower.InProcess" => typeof(SyncRunner).Assembly,
        _ => typeof(EmulatorApp).Assembly,
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Folders_use_each_other_in_one_direction_only(string assembly)
    {
        var graph = NamespaceGraph.Of(Load(assembly), assembly);

        var cycles = graph.Cycles();

        Assert.NotEmpty(graph.Edges);
        Assert.True(cycles.Count == 0, string.Join("\n\n", cycles.Select(c => $"{string.Join(" ↔ ", c)}\n{graph.Explain(c)}")));
    }

    [Fact]
    public void A_loop_between_two_folders_is_found_with_its_evidence()
    {
        var graph = NamespaceGraph.Of(typeof(NamespaceCycleTests).Assembly, "Empower.Sync.Tests.Architecture.Loop");

        var cycle = Assert.Single(graph.Cycles());

        Assert.Equal(["Empower.Sync.Tests.Architecture.Loop.A", "Empower.Sync.Tests.Architecture.Loop.B"], cycle);
        Assert.Contains("Loop.B.Second uses Empower.Sync.Tests.Architecture.Loop.A.First", graph.Explain(cycle));
    }
}
