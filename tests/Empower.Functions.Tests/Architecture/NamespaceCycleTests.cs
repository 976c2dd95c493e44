using Empower.Functions.Ingestion;
using Empower.Testing.Architecture;

namespace Empower.Functions.Tests.Architecture;

/// <summary>The Functions app's folders use each other in one direction only (docs/architecture.md, "Layers").</summary>
public sealed class NamespaceCycleTests
{
    [Fact]
    public void Folders_use_each_other_in_one_direction_only()
    {
        var graph = NamespaceGraph.Of(typeof(IngestHttpFunction).Assembly, "Empower.Functions");

        var cycles = graph.Cycles();

        Assert.NotEmpty(graph.Edges);
        Assert.True(cycles.Count == 0, string.Join("\n\n", cycles.Select(c => $"{string.Join(" ↔ ", c)}\n{graph.Explain(c)}")));
    }
}
