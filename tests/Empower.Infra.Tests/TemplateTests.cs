using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.RegularExpressions;
using Empower.Sync.Telemetry;
using Microsoft.Azure.Functions.Worker;

namespace Empower.Infra.Tests;

/// <summary>The compiled template holds the resources docs/deployment.md describes, with the properties that matter.</summary>
public sealed partial class TemplateTests
{
    private static readonly CompiledTemplate Template = CompiledTemplate.Load();

    [Fact]
    public void The_function_app_runs_on_flex_consumption_linux_dotnet_isolated_with_a_system_assigned_identity()
    {
        var plan = Template.Single("Microsoft.Web/serverfarms");
        var site = Template.Single("Microsoft.Web/sites");

        Assert.Contains("FC1", plan["sku"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("FlexConsumption", plan["sku"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("ElasticPremium", plan["sku"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        Assert.Equal("SystemAssigned", (string?)site["identity"]!["type"]);
        Assert.True((bool)site["properties"]!["httpsOnly"]!);
        string config = site["properties"]!["functionAppConfig"]!.ToJsonString();
        Assert.Contains("dotnet-isolated", config, StringComparison.Ordinal);
        Assert.Contains("SystemAssignedIdentity", config, StringComparison.Ordinal);
        Assert.Contains("instanceMemoryMB", config, StringComparison.Ordinal);
        var allowed = Template.Root["parameters"]!["instanceMemoryMB"]!["allowedValues"]!.AsArray().Select(v => (int)v!);
        Assert.Equal([2048, 4096], allowed);
    }

    [Fact]
    public void Host_storage_is_reached_by_identity_and_no_setting_holds_an_account_key()
    {
        var platform = Template.Module("functionApp")["variables"]!["platformSettings"]!.AsObject();

        Assert.Equal("managedidentity", (string?)platform["AzureWebJobsStorage__credential"]);
        Assert.True(platform.ContainsKey("AzureWebJobsStorage__accountName"));
        Assert.False(platform.ContainsKey("AzureWebJobsStorage"));
        Assert.DoesNotContain("AccountKey=", Template.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys(resourceId('Microsoft.Storage", Template.Text, StringComparison.Ordinal);
        Assert.All(Template.OfType("Microsoft.Storage/storageAccounts"), s => Assert.False((bool)s["properties"]!["allowSharedKeyAccess"]!));
        Assert.Contains(Template.OfType("Microsoft.Storage/storageAccounts"), s => s["properties"]!["isHnsEnabled"] is not null
            && (bool)s["properties"]!["isHnsEnabled"]!);
    }

    [Fact]
    public void The_app_identity_gets_exactly_the_documented_roles()
    {
        var roles = Template.OfType("Microsoft.Authorization/roleAssignments").Select(r => r["properties"]!["roleDefinitionId"]!.ToJsonString()).ToList();
        string all = string.Join(" ", roles) + Template.Text;

        foreach (string role in new[]
        {
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner (host storage)
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor (host storage, lake queues)
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor (host storage: Durable Task hub)
            "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", // Storage Blob Data Reader (source containers)
            "ba92f5b4-2d11-453d-a403-e96b0029c9fe", // Storage Blob Data Contributor (state container)
            "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
            "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher (Entra-authenticated telemetry)
        })
        {
            Assert.Contains(role, all, StringComparison.Ordinal);
        }

        Assert.Equal(6, roles.Count);
        // Not Key Vault Administrator, Secrets Officer, Owner or Contributor.
        Assert.DoesNotContain("00482a5a-887f-4fb3-b363-3b7fe8e74483", all, StringComparison.Ordinal);
        Assert.DoesNotContain("b86a8fe4-44ce-4948-aee5-eccb2c155cd7", all, StringComparison.Ordinal);
        Assert.DoesNotContain("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", all, StringComparison.Ordinal);
        Assert.DoesNotContain("b24988ac-6180-42a0-ab88-20f7382dd24c", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Principal_secrets_are_key_vault_references_to_an_rbac_vault()
    {
        var vault = Template.Single("Microsoft.KeyVault/vaults");

        Assert.True((bool)vault["properties"]!["enableRbacAuthorization"]!);
        Assert.Contains("Empower__Dataverse__Principals__{0}__ClientSecret", Template.Text, StringComparison.Ordinal);
        Assert.Contains("@Microsoft.KeyVault(VaultName=", Template.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Template.Root["parameters"]!.AsObject(), p => p.Key.Contains("secret", StringComparison.OrdinalIgnoreCase)
            && (string?)p.Value!["type"] != "securestring");
    }

    [Fact]
    public void Application_insights_is_workspace_based_and_accepts_only_entra_authenticated_telemetry()
    {
        var insights = Template.Single("Microsoft.Insights/components");
        Template.Single("Microsoft.OperationalInsights/workspaces");

        Assert.NotNull(insights["properties"]!["WorkspaceResourceId"]);
        Assert.True((bool)insights["properties"]!["DisableLocalAuth"]!);
        Assert.Equal("Authorization=AAD", (string?)Template.Module(
            "functionApp")["variables"]!["platformSettings"]!["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [Fact]
    public void Event_grid_delivers_delta_commits_to_the_blob_triggers_webhook()
    {
        var topic = Template.Single("Microsoft.EventGrid/systemTopics");
        var subscription = Template.Single("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        string function = typeof(Empower.Functions.Syncs.DeltaCommitFunction).GetMethods()
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name).Single(n => n is not null)!;

        Assert.Equal("Microsoft.Storage.StorageAccounts", (string?)topic["properties"]!["topicType"]);
        var filter = subscription["properties"]!["filter"]!;
        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter["includedEventTypes"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(".json", (string?)filter["subjectEndsWith"]);
        Assert.Contains("/_delta_log/", filter["advancedFilters"]!.ToJsonString(), StringComparison.Ordinal);
        string url = subscription["properties"]!["destination"]!["properties"]!["endpointUrl"]!.ToString();
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions." + function, url, StringComparison.Ordinal);
        Assert.Contains("blobs_extension", url, StringComparison.Ordinal);
        // The key exists only once the code runs: the subscription is the second pass.
        Assert.Contains("deployEventGridSubscription", Template.OfType("Microsoft.Resources/deployments").Single(d
            => (string?)d["name"] == "eventGrid")["condition"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_http_api_can_require_microsoft_entra_id_and_keeps_function_keys()
    {
        var auth = Template.OfType("Microsoft.Web/sites/config").Single(c => c["name"]!.ToString().Contains("authsettingsV2", StringComparison.Ordinal));

        Assert.Contains("requireEntraAuth", auth["condition"]!.ToString(), StringComparison.Ordinal);
        Assert.True((bool)auth["properties"]!["globalValidation"]!["requireAuthentication"]!);
        Assert.Equal("Return401", (string?)auth["properties"]!["globalValidation"]!["unauthenticatedClientAction"]);
        Assert.Contains("/runtime/webhooks/blobs", auth["properties"]!["globalValidation"]!["excludedPaths"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Alerts_and_the_workbook_query_metrics_and_functions_that_exist_in_the_code()
    {
        var rules = Template.OfType("Microsoft.Insights/scheduledQueryRules").ToList();
        Template.Single("Microsoft.Insights/workbooks");
        var alerts = Template.Module("alerts")["variables"]!["rules"]!.AsArray().Select(r => (string)r!["key"]!).ToList();

        Assert.Single(rules);
        Assert.Contains("copy", rules[0].ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(["run-failed", "failed-rows", "all-throttled"], alerts);
        var instruments = Instruments();
        var queried = MetricName().Matches(Template.Text).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("empower.dataverse.throttled", queried);
        Assert.Contains("empower.sync.run.duration", queried);
        Assert.Empty(queried.Except(instruments));
        string orchestrator = typeof(Empower.Functions.Pipeline.SyncTaskFunctions).GetMethod("SyncRun")!.GetCustomAttribute<FunctionAttribute>()!.Name;
        Assert.Contains($"name == \\\"{orchestrator}\\\"", Template.Text, StringComparison.Ordinal);
    }

    /// <summary>The instruments of the <c>Empower.Sync</c> meter, as a listener sees them published.</summary>
    private static HashSet<string> Instruments()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == SyncTelemetry.Name)
                {
                    lock (names)
                    {
                        names.Add(instrument.Name);
                    }
                }
            },
        };
        foreach (var type in typeof(SyncTelemetry).Assembly.GetTypes().Where(t
            => t.GetFields(BindingFlags.Static | BindingFlags.Public).Any(f => typeof(Instrument).IsAssignableFrom(f.FieldType))))
        {
            System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(type.TypeHandle);
        }

        listener.Start();
        return names;
    }

    [GeneratedRegex(@"name (?:==|in) \(?\\""(empower\.[a-z_.]+)")]
    private static partial Regex MetricName();
}
