using System.Text.Json;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Schema;
using Empower.Dataverse.Emulator.Store;

namespace Empower.Dataverse.Emulator.Records;

/// <summary>
/// CreateMultiple, UpdateMultiple and UpsertMultiple bound actions on standard tables: every target needs
/// <c>@odata.type</c>, and any error rolls the whole request back (the caller runs this in one unit of work).
/// See https://learn.microsoft.com/power-apps/developer/data-platform/bulk-operations.
/// </summary>
public sealed class BulkOperations(EmulatorSchema schema, RecordOperations records)
{
    private readonly PayloadReader _payloads = new(schema);

    public ApiResponse Execute(TableDefinition table, string action, ApiRequest request, StoreSession session, OperationCost cost)
    {
        if (request.Method != "POST")
        {
            throw new DataverseException(405, ErrorCodes.InvalidArgument, $"{action} must be called with POST.");
        }

        var targets = RecordOperations.Targets(table, request);
        cost.BulkTargets += targets.GetArrayLength();
        return action switch
        {
            "CreateMultiple" => CreateMultiple(table, targets, request, session, cost),
            "UpdateMultiple" => WriteMultiple(table, targets, session, cost, createMissing: false),
            "UpsertMultiple" => WriteMultiple(table, targets, session, cost, createMissing: true),
            _ => throw DataverseException.BadRequest(ErrorCodes.ResourceNotFound,
                $"Resource not found for the segment 'Microsoft.Dynamics.CRM.{action}': the emulator serves CreateMultiple, " +
                    $"UpdateMultiple and UpsertMultiple."),
        };
    }

    private ApiResponse CreateMultiple(TableDefinition table, JsonElement targets, ApiRequest request, StoreSession session, OperationCost cost)
    {
        var ids = new JsonArray();
        foreach (var target in targets.EnumerateArray())
        {
            var payload = ReadTarget(table, target, session);
            if (payload.ODataId is not null)
            {
                throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                    "CreateMultiple targets cannot carry '@odata.id'; use UpsertMultiple to address records by key.");
            }

            cost.Created++;
            ids.Add(records.Insert(table, payload.Id ?? Guid.NewGuid(), payload.Values, session).ToString());
        }

        return new ApiResponse(200, new JsonObject
        {
            ["@odata.context"] = $"{request.ServiceRoot}$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse",
            ["Ids"] = ids,
        });
    }

    private ApiResponse WriteMultiple(TableDefinition table, JsonElement targets, StoreSession session, OperationCost cost, bool createMissing)
    {
        foreach (var target in targets.EnumerateArray())
        {
            var payload = ReadTarget(table, target, session);
            RecordLocator locator;
            if (payload.ODataId is { } odataId)
            {
                locator = new RecordLocator(table, EntityReference.Parse(odataId, table));
                foreach (var keyAttribute in locator.KeyValues.Keys.Where(payload.Values.ContainsKey))
                {
                    throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                        $"The key attribute '{keyAttribute}' is set both in '@odata.id' ({odataId}) and in the body of a {table.LogicalName} target; set " +
                            $"key attributes in '@odata.id' only.");
                }

                RecordOperations.MergeKey(table, locator, payload);
            }
            else if (payload.Id is { } id)
            {
                locator = new RecordLocator(table, new KeySegment(id, []));
            }
            else if (createMissing)
            {
                cost.Created++;
                records.Insert(table, Guid.NewGuid(), payload.Values, session);
                continue;
            }
            else
            {
                throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                    $"An UpdateMultiple target for '{table.LogicalName}' must carry '{table.PrimaryIdAttribute}' or '@odata.id'.");
            }

            if (locator.Resolve(session) is { } existing)
            {
                cost.Updated++;
                records.Update(table, existing, payload.Values, session);
            }
            else if (createMissing)
            {
                cost.Created++;
                records.Insert(table, locator.Id ?? Guid.NewGuid(), payload.Values, session);
            }
            else
            {
                throw locator.NotFound();
            }
        }

        return new ApiResponse(204);
    }

    private RecordPayload ReadTarget(TableDefinition table, JsonElement target, StoreSession session)
    {
        if (target.ValueKind != JsonValueKind.Object || !target.TryGetProperty("@odata.type", out _))
        {
            throw DataverseException.BadRequest(ErrorCodes.PayloadError,
                $"Each target must be a JSON object with \"@odata.type\": \"Microsoft.Dynamics.CRM.{table.LogicalName}\".");
        }

        return _payloads.Read(table, target, session);
    }
}
