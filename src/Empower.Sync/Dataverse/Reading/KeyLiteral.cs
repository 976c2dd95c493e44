using System.Text.Json;
using System.Text.Json.Nodes;

namespace Empower.Sync.Dataverse.Reading;

/// <summary>OData key segments: <c>accounts(accountnumber='A-1')</c>, <c>lines(order='S1',line=2)</c>, <c>accounts(guid)</c>.</summary>
internal static class KeyLiteral
{
    public static string ForKey(string entitySet, IReadOnlyList<string> attributes, JsonObject values, bool escapeForUrl)
    {
        var parts = attributes.Select(a => $"{a}={Literal(values[a], a, escapeForUrl)}");
        return $"{entitySet}({string.Join(",", parts)})";
    }

    public static string ForId(string entitySet, Guid id) => $"{entitySet}({id:D})";

    /// <summary>An OData literal for a key value: <c>'text'</c> (quotes doubled), <c>true</c>, <c>12</c>.</summary>
    public static string Literal(JsonNode? value, string attribute) => Literal(value, attribute, escapeForUrl: false);

    private static string Literal(JsonNode? value, string attribute, bool escapeForUrl)
    {
        if (value is not JsonValue v)
        {
            throw new ArgumentException($"The key column '{attribute}' has no value; a record cannot be matched without it.");
        }

        string text = v.GetValueKind() switch
        {
            JsonValueKind.String => "'" + v.GetValue<string>().Replace("'", "''", StringComparison.Ordinal) + "'",
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => v.ToJsonString(),
        };
        return escapeForUrl ? Uri.EscapeDataString(text).Replace("%27", "'", StringComparison.Ordinal).Replace("%2C", ",", StringComparison.Ordinal) : text;
    }
}
