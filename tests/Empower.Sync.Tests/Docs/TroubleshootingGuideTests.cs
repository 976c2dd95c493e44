using System.Reflection;
using Empower.Sync.Dataverse.Errors;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Lake;
using Empower.Sync.Pipeline.Contracts;
using Empower.Testing;
using Microsoft.Extensions.Logging;

namespace Empower.Sync.Tests.Docs;

/// <summary>docs/troubleshooting.md explains everything the code can say: a new event, error, stage, status or code fails here until it does.</summary>
public sealed class TroubleshootingGuideTests
{
    private static readonly Assembly Sync = typeof(FailedRow).Assembly;

    private static readonly string Guide = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "troubleshooting.md"));

    [Fact]
    public void Every_log_event_id_has_a_row()
    {
        var ids = Sync.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => a.EventId)
            .ToList();

        Assert.True(ids.Count >= 9, $"{ids.Count} event ids found");
        Assert.All(ids, id => Assert.Contains($"| {id} |", Guide));
    }

    [Fact]
    public void Every_error_type_is_named()
    {
        // Implementation types are internal too, so every exception counts except the one that never leaves the
        // engine: a page deferral is caught by the ingestion step and becomes a durable timer.
        var errors = Sync.GetTypes()
            .Where(t => typeof(Exception).IsAssignableFrom(t) && t.Name != "PageDeferredException")
            .Select(t => t.Name)
            .ToList();

        Assert.Contains(nameof(JobConfigurationException), errors);
        Assert.Contains("DataverseRequestException", errors);
        Assert.All(errors, name => Assert.Contains($"`{name}`", Guide));
    }

    [Fact]
    public void Every_kind_of_lake_error_has_a_row()
    {
        Assert.All(Enum.GetNames<LakeErrorKind>(), kind => Assert.Contains($"| `{kind}` |", Guide));
    }

    [Fact]
    public void Every_failure_stage_and_run_status_has_a_row()
    {
        Assert.All(Enum.GetNames<FailureStage>(), stage => Assert.Contains($"| `{stage.ToLowerInvariant()}` |", Guide));
        var statuses = typeof(RunStatus).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!).ToList();
        Assert.Equal(4, statuses.Count);
        Assert.All(statuses, status => Assert.Contains($"`{status}`", Guide));
    }

    [Fact]
    public void Every_dataverse_code_the_client_acts_on_is_explained()
    {
        var codes = typeof(ErrorClassifier).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!)
            .Concat((IEnumerable<string>)typeof(ErrorClassifier).GetField("TransientCodes", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!)
            .ToList();

        Assert.True(codes.Count >= 9);
        Assert.All(codes, code => Assert.Contains($"`{code}`", Guide));
    }
}
