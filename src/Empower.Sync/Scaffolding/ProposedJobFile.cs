using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Empower.Sync.Jobs;

namespace Empower.Sync.Scaffolding;

/// <summary>A job file as a person would write it: only the settings that differ from the defaults, one line per column.</summary>
internal static class ProposedJobFile
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(ScaffoldRequest request, string format, JsonObject? match, IReadOnlyList<JsonObject> columns)
    {
        var properties = new List<(string Name, JsonNode? Value)>
        {
            ("name", request.Name),
            ("source", new JsonObject { ["path"] = request.SourcePath, ["format"] = format }),
            ("target", new JsonObject { ["table"] = request.Table }),
            ("mode", JobDefinitionLoader.NameOf(request.Mode)),
        };
        if (match is not null)
        {
            properties.Add(("match", match));
        }

        var text = new StringBuilder("{\n");
        foreach (var (name, value) in properties)
        {
            text.Append($"  \"{name}\": {value!.ToJsonString(Compact)},\n");
        }

        text.Append("  \"columns\": [");
        text.Append(string.Join(",", columns.Select(c => $"\n    {c.ToJsonString(Compact)}")));
        text.Append(columns.Count > 0 ? "\n  ]\n}\n" : "]\n}\n");
        return text.ToString();
    }
}
