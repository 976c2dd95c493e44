using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline.Runtime;
using Microsoft.Extensions.Configuration;

namespace Empower.Infra.Tests;

/// <summary>
/// The app settings of the Bicep template and of local.settings.sample.json against what the code binds: every setting
/// the code needs is there or has a default, none names a key the code does not read, and the result validates.
/// </summary>
public sealed class SettingsCoverageTests
{
    private static readonly CompiledTemplate Template = CompiledTemplate.Load();

    private static readonly HashSet<string> Bound = AppSettings.BoundKeys().Select(k => k.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Every_empower_app_setting_in_the_template_names_a_key_the_code_binds()
    {
        var names = AppSettings.EmpowerNamesIn(Template.Text);
        var (expressions, _) = AppSettings.TriggerBindings();

        Assert.NotEmpty(names);
        Assert.DoesNotContain(names, n => !Bound.Contains(AppSettings.Normalize(n)) && !expressions.Contains(n, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void Every_key_the_code_binds_is_set_by_the_template_or_has_a_default()
    {
        var names = AppSettings.EmpowerNamesIn(Template.Text);
        var (expressions, connections) = AppSettings.TriggerBindings();

        var missing = AppSettings.BoundKeys()
            .Where(k => !names.Contains(k.Key) && !AppSettings.OptionalInAzure.Contains(k.Key) && k.Property.GetValue(k.Defaults) is null)
            .Select(k => k.Key).ToList();
        Assert.Empty(missing);
        Assert.Equal(["Empower:Schedule:Ingest", "Empower:Schedule:Nightly", "Empower:Triggers:Container"], expressions.Order());
        Assert.All(expressions, e => Assert.Contains(e, names));
        // The blob trigger's identity-based connection needs the lake's blob and queue endpoints.
        Assert.Equal(["EmpowerLake"], connections);
        Assert.Contains("EmpowerLake__blobServiceUri", Template.Text, StringComparison.Ordinal);
        Assert.Contains("EmpowerLake__queueServiceUri", Template.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tuning_defaults_of_the_template_are_the_codes_own()
    {
        var tuning = Template.Tuning;
        var keys = AppSettings.BoundKeys().ToDictionary(k => k.Key, StringComparer.OrdinalIgnoreCase);

        Assert.True(tuning.Count >= 13);
        foreach (var (name, value) in tuning)
        {
            var key = keys[AppSettings.KeyOf(name)];
            var section = key.Key[..key.Key.LastIndexOf(':')];
            var bound = Activator.CreateInstance(key.Defaults.GetType())!;
            new ConfigurationBuilder().AddInMemoryCollection([new(key.Key, (string?)value)]).Build().GetSection(section).Bind(bound);
            Assert.True(Equals(key.Property.GetValue(bound), key.Property.GetValue(key.Defaults)),
                $"{name} = {value} in the template, {key.Property.GetValue(key.Defaults)} in the code.");
        }
    }

    [Fact]
    public void The_settings_the_template_deploys_pass_every_options_validation()
    {
        var literal = Template.Root["variables"]!["empowerSettings"]!.AsObject()
            .Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) && !s.StartsWith('['))
            .ToDictionary(p => AppSettings.KeyOf(p.Key), p => (string?)p.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
        var values = AppSettings.EmpowerNamesIn(Template.Text).ToDictionary(n => n, n => (string?)(literal.GetValueOrDefault(n) ?? Placeholder(n)),
            StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in Template.Tuning)
        {
            values[AppSettings.KeyOf(name)] = (string?)value;
        }

        Assert.Empty(Problems(values));
        Assert.Equal("ManagedIdentity", values["Empower:Lake:Authentication"]);
    }

    [Fact]
    public void The_local_settings_sample_lists_only_bound_keys_validates_and_keeps_local_state_with_local_storage()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(Testing.RepositoryRoot.Path, "local.settings.sample.json")))!["Values"]!.AsObject();
        var values = sample.ToDictionary(p => p.Key, p => (string?)p.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
        var (expressions, connections) = AppSettings.TriggerBindings();
        var empower = values.Keys.Where(k => k.StartsWith("Empower:", StringComparison.Ordinal)).ToList();

        Assert.DoesNotContain(empower, k => !Bound.Contains(AppSettings.Normalize(k)) && !expressions.Contains(k, StringComparer.Ordinal));
        Assert.All(expressions, e => Assert.Contains(e, values.Keys));
        Assert.All(connections, c => Assert.Contains(c, values.Keys));
        // Every tunable setting is listed, with its default, so a developer sees what there is to set.
        var tuning = Template.Tuning;
        Assert.All(tuning, t => Assert.Equal((string?)t.Value, values.GetValueOrDefault(AppSettings.KeyOf(t.Key))));
        Assert.Empty(Problems(values));
        // Development storage cannot hold a state location in an Azure account.
        bool devStorage = values.GetValueOrDefault("Empower:Lake:ConnectionString")?.Contains("UseDevelopmentStorage",
            StringComparison.OrdinalIgnoreCase) == true;
        string state = values["Empower:Pipeline:StateLocation"]!;
        Assert.False(devStorage && (state.StartsWith("abfss://", StringComparison.Ordinal)
            || state.Contains(".core.windows.net", StringComparison.Ordinal)), state);
    }

    private static List<string> Problems(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var dataverse = configuration.GetSection(DataverseOptions.SectionName).Get<DataverseOptions>() ?? new DataverseOptions();
        var lake = configuration.GetSection(LakeConnectionOptions.SectionName).Get<LakeConnectionOptions>() ?? new LakeConnectionOptions();
        var pipeline = configuration.GetSection(PipelineOptions.SectionName).Get<PipelineOptions>() ?? new PipelineOptions();
        return [.. dataverse.Validate(), .. lake.Validate(), .. pipeline.Validate()];
    }

    /// <summary>A value of the right shape for a setting whose template value is an expression (a parameter).</summary>
    private static string Placeholder(string key) =>
        key.EndsWith(":Url", StringComparison.Ordinal) || key.EndsWith("Location", StringComparison.Ordinal) ? "https://placeholder.example/"
        : key.EndsWith("MB", StringComparison.Ordinal) ? "2048"
        : "placeholder";

    [Fact]
    public void The_template_tells_the_app_the_activities_host_json_runs_at_once_and_the_smallest_instance_fits_them()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(Testing.RepositoryRoot.Path, "host.json")))!;
        int activities = host["extensions"]!["durableTask"]!["maxConcurrentActivityFunctions"]!.GetValue<int>();
        var settings = Template.Root["variables"]!["empowerSettings"]!;

        Assert.Equal(activities.ToString(System.Globalization.CultureInfo.InvariantCulture),
            settings["Empower__Pipeline__ActivitiesPerInstance"]!.GetValue<string>());
        Assert.Contains("instanceMemoryMB", settings["Empower__Pipeline__MemoryBudgetMB"]!.GetValue<string>(), StringComparison.Ordinal);
        // Flex Consumption's smallest instance (2,048 MB) runs them with the default window; 512 MB would not.
        var defaults = new PipelineOptions { ActivitiesPerInstance = activities, MemoryBudgetMB = 2048 };
        Assert.Empty(defaults.Validate());
        Assert.Contains(new PipelineOptions { ActivitiesPerInstance = activities, MemoryBudgetMB = 512 }.Validate(),
            p => p.Contains("MemoryBudgetMB", StringComparison.Ordinal));
    }
}
