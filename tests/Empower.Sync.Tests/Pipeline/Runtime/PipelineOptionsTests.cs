using Empower.Sync.Pipeline.Runtime;
using Empower.Sync.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Empower.Sync.Tests.Pipeline.Runtime;

public sealed class PipelineOptionsTests
{
    [Fact]
    public void Every_bad_setting_is_reported_at_once_by_its_key()
    {
        var problems = new PipelineOptions { StateLocation = " ", Parallelism = 0, WindowRows = -1, MemoryBudgetMB = 0 }.Validate();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Empower:Pipeline:StateLocation is empty", StringComparison.Ordinal));
        Assert.Contains("Empower:Pipeline:Parallelism is 0: it must be at least 1.", problems);
        Assert.Contains("Empower:Pipeline:WindowRows is -1: it must be at least 1.", problems);
        Assert.Contains("Empower:Pipeline:MemoryBudgetMB is 0: it must be at least 1.", problems);
    }

    [Fact]
    public void Activities_and_windows_that_do_not_fit_the_memory_budget_are_refused_with_what_to_lower()
    {
        // 8 activities × (16 MB + 5,000 rows × 8 KB) + 256 MB = 8 × 55 + 256 = 696 MB.
        var options = new PipelineOptions { ActivitiesPerInstance = 8, MemoryBudgetMB = 600 };

        string problem = Assert.Single(options.Validate());
        Assert.Equal(696, MemoryBudget.NeededMB(options));
        Assert.Contains("8 publish activities at once", problem, StringComparison.Ordinal);
        Assert.Contains("about 696 MB", problem, StringComparison.Ordinal);
        Assert.Contains("600 MB memory budget", problem, StringComparison.Ordinal);
        Assert.Contains("lower WindowRows, Parallelism or maxConcurrentActivityFunctions", problem, StringComparison.Ordinal);
        Assert.Empty(new PipelineOptions { ActivitiesPerInstance = 8, MemoryBudgetMB = 600, WindowRows = 2_000 }.Validate());
    }

    [Fact]
    public void The_host_refuses_bad_pipeline_settings_when_it_reads_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Empower:Pipeline:Parallelism"] = "0",
            ["Empower:Pipeline:PartitionMaxRows"] = "0",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddEmpowerPipeline(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PipelineOptions>>().Value);
        Assert.Equal(["Empower:Pipeline:Parallelism is 0: it must be at least 1.",
            "Empower:Pipeline:PartitionMaxRows is 0: it must be at least 1."], error.Failures);
    }
}
