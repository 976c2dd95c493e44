using System.Text.Json;

namespace Empower.Functions.Tests;

/// <summary>What the Functions host will find: every trigger, orchestrator, activity and entity, by name and binding.</summary>
public sealed class FunctionsMetadataTests
{
    [Fact]
    public void The_functions_app_lists_its_triggers_orchestrators_and_activities()
    {
        // The worker SDK generates this file from the [Function] attributes and copies it next to the app's references.
        string metadata = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(metadata), $"{metadata} is generated when the Functions app builds");
        using var document = JsonDocument.Parse(File.ReadAllText(metadata));
        var functions = document.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("bindings")[0].GetProperty("type").GetString());

        var expected = new Dictionary<string, string?>
        {
            ["Health"] = "httpTrigger",
            ["StartSync"] = "httpTrigger",
            ["GetSyncRun"] = "httpTrigger",
            ["TerminateSyncRun"] = "httpTrigger",
            ["NightlySyncs"] = "timerTrigger",
            ["DeltaCommitSyncs"] = "blobTrigger",
            ["SyncRunOrchestrator"] = "orchestrationTrigger",
            ["PartitionOrchestrator"] = "orchestrationTrigger",
            ["PlanActivity"] = "activityTrigger",
            ["PublishActivity"] = "activityTrigger",
            ["FinalizeActivity"] = "activityTrigger",
            ["Principals"] = "entityTrigger",
            ["StartIngest"] = "httpTrigger",
            ["IngestJobs"] = "timerTrigger",
            ["IngestOrchestrator"] = "orchestrationTrigger",
            ["IngestActivity"] = "activityTrigger",
        };

        Assert.Equal(expected.OrderBy(f => f.Key), functions.OrderBy(f => f.Key));
    }
}
