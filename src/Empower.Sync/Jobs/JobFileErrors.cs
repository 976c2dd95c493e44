using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Empower.Sync.Suggestions;

namespace Empower.Sync.Jobs;

/// <summary>
/// Turns System.Text.Json's complaints about a job file into what its author needs: the allowed values of a setting
/// (not the .NET enum's name), the nearest property name for one that is misspelt, and where in the file.
/// </summary>
internal static partial class JobFileErrors
{
    public static string Explain(JsonException ex, string json, string source, Func<Enum, string> nameOf)
    {
        string where = ex.LineNumber is { } line ? $" at line {line + 1}, position {ex.BytePositionInLine + 1}" : "";
        string path = ex.Path is { Length: > 1 } p ? p[2..] : "";
        if (UnknownMember().Match(ex.Message) is { Success: true } unknown && TypeOf(unknown.Groups["type"].Value) is { } owner)
        {
            var names = owner.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(m => JsonNamingPolicy.CamelCase.ConvertName(m.Name));
            string property = unknown.Groups["property"].Value;
            return $"{source}{where}: '{property}' is not a job property{NearestName.Suggest(property, names)}; the properties here are " +
                $"{string.Join(", ", names)}.";
        }

        if (NotConverted().Match(ex.Message) is { Success: true } converted && TypeOf(converted.Groups["type"].Value) is { IsEnum: true } setting)
        {
            string allowed = string.Join(", ", Enum.GetValues(setting).Cast<Enum>().Select(v => $"\"{nameOf(v)}\""));
            string got = ValueAt(json, ex.Path) is { } value ? $" (got {value})" : "";
            return $"{source}{where}: '{path}' must be one of {allowed}{got}.";
        }

        return $"{source} is not a valid job file{where}{(path.Length > 0 ? $" ({ex.Path})" : "")}: {ex.Message.Split(". Path:")[0].TrimEnd('.')}.";
    }

    private static Type? TypeOf(string name) => typeof(JobDefinition).Assembly.GetType(name.TrimEnd('?').Replace("System.Nullable`1[", "",
        StringComparison.Ordinal).TrimEnd(']'));

    /// <summary>The JSON text at a System.Text.Json path such as <c>$.columns[0].mode</c>, if the document parses.</summary>
    private static string? ValueAt(string json, string? path)
    {
        try
        {
            JsonNode? node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true });
            foreach (Match step in Step().Matches(path ?? ""))
            {
                node = step.Groups["index"].Success ? node?[int.Parse(step.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture)]
                    : node?[step.Groups["name"].Value];
            }

            return node?.ToJsonString();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"The JSON property '(?<property>[^']*)' could not be mapped to any \.NET member contained in type '(?<type>[^']+)'")]
    private static partial Regex UnknownMember();

    [GeneratedRegex(@"could not be converted to (?<type>[\w.`\[\]]+?)\.? Path")]
    private static partial Regex NotConverted();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]")]
    private static partial Regex Step();
}
