using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Schema;

namespace Empower.Dataverse.Emulator.Metadata;

/// <summary>The service root's answer: an OData service document listing every entity set ("Web API Service Documents").</summary>
internal static class ServiceDocumentWriter
{
    public static ApiResponse Write(EmulatorSchema schema, ApiRequest request) => new(200, new JsonObject
    {
        ["@odata.context"] = $"{request.ServiceRoot}$metadata",
        ["value"] = new JsonArray([.. schema.Tables.Select(t => (JsonNode)new JsonObject
        {
            ["name"] = t.EntitySetName, ["kind"] = "EntitySet", ["url"] = t.EntitySetName,
        })]),
    });
}
