using System.Text.Json.Nodes;

namespace Empower.Infra.Tests;

/// <summary>
/// <c>infra/main.bicep</c> as the build compiled it (ARM JSON in the test output), with every resource of every
/// module flattened into one list.
/// </summary>
internal sealed class CompiledTemplate
{
    private CompiledTemplate(JsonObject root, string text)
    {
        Root = root;
        Text = text;
        Resources = [.. Walk(root)];
    }

    public JsonObject Root { get; }

    /// <summary>The whole template as text, for names that only appear inside expressions.</summary>
    public string Text { get; }

    public IReadOnlyList<JsonObject> Resources { get; }

    /// <summary>The <c>tuning</c> parameter's default: app setting name → value.</summary>
    public JsonObject Tuning => Root["parameters"]!["tuning"]!["defaultValue"]!.AsObject();

    public static CompiledTemplate Load()
    {
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "infra", "main.json"));
        return new CompiledTemplate(JsonNode.Parse(text)!.AsObject(), text);
    }

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type) => Assert.Single(OfType(type));

    /// <summary>A module's compiled template (the nested deployment named <paramref name="module"/>).</summary>
    public JsonObject Module(string module) =>
        OfType("Microsoft.Resources/deployments").Single(d => (string?)d["name"] == module)["properties"]!["template"]!.AsObject();

    private static IEnumerable<JsonObject> Walk(JsonObject template)
    {
        var resources = template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject byName => byName.Select(p => p.Value).OfType<JsonObject>(),
            _ => [],
        };
        foreach (var resource in resources)
        {
            yield return resource;
            if (resource["properties"] is JsonObject properties && properties["template"] is JsonObject nested)
            {
                foreach (var inner in Walk(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}
