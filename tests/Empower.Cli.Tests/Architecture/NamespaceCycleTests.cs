using Empower.Cli.Runner;
using Empower.Testing.Architecture;

namespace Empower.Cli.Tests.Architecture;

/// <summary>The CLI's folders use each other in one direction only (docs/architecture.md, "Layers").</summary>
public sealed class NamespaceCycleTests
{
    [Fact]
    public void Folders_use_each_other_in_one_direction_only()
    {
        var graph = NamespaceGraph.Of(typeof(ExitCodes).Assembly, "Empower.Cli");

        var cycles = graph.Cycles();

        Assert.NotEmpty(graph.Edges);
        Assert.True(cycles.Count == 0, string.Join("\n\n", cycles.Select(c => $"{string.Join(" ↔ ", c)}\n{graph.Explain(c)}")));
    }
}
