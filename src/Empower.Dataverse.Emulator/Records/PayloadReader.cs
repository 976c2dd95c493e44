using System.Text.Json;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Schema;
using Empower.Dataverse.Emulator.Store;

namespace Empower.Dataverse.Emulator.Records;

/// <summary>Reads a record from a JSON body: attributes, <c>nav@odata.bind</c> lookups, <c>@odata.type</c> and <c>@odata.id</c>.</summary>
public sealed class PayloadReader(EmulatorSchema schema)
{
    public static JsonElement ParseBody(string? body, TableDefinition? table)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw DataverseException.BadRequest(ErrorCodes.PayloadError, "The request body is empty; a JSON object was expected.");
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw DataverseException.BadRequest(ErrorCodes.PayloadError,
                $"Error identified in Payload provided by the user for Entity :'{table?.EntitySetName}' ----> The request body is not valid JSON (line " +
                    $"{ex.LineNumber + 1}, position {ex.BytePositionInLine}).");
        }
    }

    public RecordPayload Read(TableDefinition table, JsonElement body, StoreSession session)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw DataverseException.BadRequest(ErrorCodes.PayloadError,
                $"Error identified in Payload provided by the user for Entity :'{table.EntitySetName}' ----> A JSON object was expected, " +
                    $"not {body.ValueKind}.");
        }

        var payload = new RecordPayload();
        foreach (var property in body.EnumerateObject())
        {
            string name = property.Name;
            if (name == "@odata.type")
            {
                CheckType(table, property.Value);
            }
            else if (name == "@odata.id")
            {
                payload.ODataId = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()
                    : throw ValueCodec.TypeMismatch(table, IdAttribute(table), property.Value.GetRawText());
            }
            else if (name.EndsWith("@odata.bind", StringComparison.Ordinal))
            {
                ReadBinding(table, name[..^"@odata.bind".Length], property.Value, payload, session);
            }
            else if (name.Contains('@', StringComparison.Ordinal))
            {
                // Instance annotations (formatted values, etags) are informational in request bodies.
            }
            else
            {
                var attribute = table.FindAttribute(name) ?? throw UnknownProperty(table, name);
                if (attribute.Type == AttributeType.Lookup)
                {
                    throw DataverseException.BadRequest(ErrorCodes.PayloadError,
                        $"'{name}' on '{table.LogicalName}' is a lookup: set it with \"{attribute.EffectiveNavigationProperty}@odata.bind\": " +
                            $"\"/{schema.FindByLogicalName(attribute.Target!)!.EntitySetName}(<id or key>)\".");
                }

                var value = ValueCodec.FromJson(table, attribute, property.Value);
                if (attribute.IsPrimaryId)
                {
                    payload.Id = value is string id ? Guid.Parse(id) : null;
                }
                else
                {
                    payload.Values[name] = value;
                }
            }
        }

        return payload;
    }

    public static DataverseException UnknownProperty(TableDefinition table, string name) =>
        DataverseException.BadRequest(ErrorCodes.ResourceNotFound,
            $"An undeclared property '{name}' which only has property annotations in the payload but no property value was found in the payload. The " +
                $"property '{name}' does not exist on type 'Microsoft.Dynamics.CRM.{table.LogicalName}'. Make sure to only use property names that " +
                $"are defined by the type.");

    private void ReadBinding(TableDefinition table, string navigationProperty, JsonElement value, RecordPayload payload, StoreSession session)
    {
        var lookup = table.FindLookupByNavigationProperty(navigationProperty)
            ?? throw DataverseException.BadRequest(ErrorCodes.ResourceNotFound,
                $"An undeclared property '{navigationProperty}' which only has property annotations in the payload but no property value was found in the " +
                    $"payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.");
        if (value.ValueKind == JsonValueKind.Null)
        {
            payload.Values[lookup.LogicalName] = null;
            return;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw ValueCodec.TypeMismatch(table, lookup, value.GetRawText());
        }

        var target = schema.FindByLogicalName(lookup.Target!)!;
        var reference = value.GetString()!;
        var path = EntityReference.Parse(reference, target);
        var locator = new RecordLocator(target, path);
        payload.Values[lookup.LogicalName] = locator.Resolve(session) is { } id
            ? id.ToString("D")
            : throw locator.NotFound(lookupTarget: true);
    }

    private static void CheckType(TableDefinition table, JsonElement value)
    {
        string? type = value.ValueKind == JsonValueKind.String ? value.GetString()!.TrimStart('#') : null;
        if (type != ResourcePath.ActionNamespace + table.LogicalName)
        {
            throw DataverseException.BadRequest(ErrorCodes.PayloadError,
                $"Error identified in Payload provided by the user for Entity :'{table.EntitySetName}' ----> '@odata.type' is '{type}', expected " +
                    $"'Microsoft.Dynamics.CRM.{table.LogicalName}'.");
        }
    }

    private static AttributeDefinition IdAttribute(TableDefinition table) => table.Attributes[table.PrimaryIdAttribute];
}
