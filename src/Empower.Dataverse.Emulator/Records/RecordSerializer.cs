using System.Globalization;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Schema;

namespace Empower.Dataverse.Emulator.Records;

/// <summary>Writes a stored record as the Web API returns it: <c>@odata.etag</c>, selected attributes, lookups as <c>_x_value</c>.</summary>
internal static class RecordSerializer
{
    public static JsonObject ToJson(TableDefinition table, IReadOnlyDictionary<string, object?> row, IReadOnlyList<string>? select,
        RecordAnnotations? annotations)
    {
        var json = new JsonObject { ["@odata.etag"] = ETag(row) };
        var names = select ?? table.Attributes.Keys.Concat(TableDefinition.SystemColumns).ToList();
        foreach (var name in names)
        {
            if (table.FindAttribute(name) is { } attribute)
            {
                json[attribute.ReadName] = ValueCodec.ToJson(attribute, row[name]);
                annotations?.Add(json, attribute, row[name]);
            }
            else if (name == "versionnumber")
            {
                json[name] = Convert.ToInt64(row[name], CultureInfo.InvariantCulture);
            }
            else
            {
                json[name] = (string?)row[name];
            }
        }

        // Dataverse always returns the primary id, selected or not.
        json[table.PrimaryIdAttribute] = (string?)row[table.PrimaryIdAttribute];
        return json;
    }

    public static string ETag(IReadOnlyDictionary<string, object?> row) =>
        $"W/\"{Convert.ToInt64(row["versionnumber"], CultureInfo.InvariantCulture)}\"";
}
