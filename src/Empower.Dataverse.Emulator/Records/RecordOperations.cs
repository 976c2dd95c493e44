using System.Text.Json;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Schema;
using Empower.Dataverse.Emulator.Store;

namespace Empower.Dataverse.Emulator.Records;

/// <summary>
/// Create, retrieve, upsert and delete of single records, with the Web API's conditional headers.
/// See https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api and
/// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api.
/// </summary>
public sealed class RecordOperations(EmulatorSchema schema)
{
    private readonly PayloadReader _payloads = new(schema);

    public ApiResponse Create(TableDefinition table, ApiRequest request, StoreSession session, OperationCost cost)
    {
        var payload = _payloads.Read(table, PayloadReader.ParseBody(request.Body, table), session);
        cost.Created++;
        var id = Insert(table, payload.Id ?? Guid.NewGuid(), payload.Values, session);
        return Written(table, id, request, session, created: true);
    }

    public Guid Insert(TableDefinition table, Guid id, Dictionary<string, object?> values, StoreSession session)
    {
        CheckRequired(table, values, creating: true);
        // Dataverse creates a record in its default state and status (Active): statecode eq 0 finds a new record.
        foreach (var (name, state) in new[] { ("statecode", 0L), ("statuscode", 1L) })
        {
            if (table.FindAttribute(name) is { Type: AttributeType.Choice } attribute && attribute.Options.Any(o => o.Value == state))
            {
                values.TryAdd(name, state);
            }
        }

        if (session.FindVersion(table, id) is not null)
        {
            throw new DataverseException(412, ErrorCodes.DuplicateRecord,
                $"A record with id {id} already exists in '{table.LogicalName}'. Cannot insert duplicate key.");
        }

        session.Insert(table, id, values);
        return id;
    }

    public void Update(TableDefinition table, Guid id, Dictionary<string, object?> values, StoreSession session)
    {
        CheckRequired(table, values, creating: false);
        session.Update(table, id, values);
    }

    /// <summary>PATCH on a record URL: update, or create when missing, unless <c>If-Match</c> / <c>If-None-Match</c> say otherwise.</summary>
    public ApiResponse Upsert(TableDefinition table, KeySegment key, ApiRequest request, StoreSession session, OperationCost cost)
    {
        var locator = new RecordLocator(table, key);
        var payload = _payloads.Read(table, PayloadReader.ParseBody(request.Body, table), session);
        var existing = locator.Resolve(session);
        string? ifMatch = request.Header("If-Match");
        if (existing is null && ifMatch is not null)
        {
            throw locator.NotFound();
        }

        if (existing is { } found && ifMatch is not null and not "*"
            && $"{session.FindVersion(table, found)}" != ifMatch.Replace("W/", "", StringComparison.Ordinal).Trim('"'))
        {
            throw new DataverseException(412, ErrorCodes.ConcurrencyVersionMismatch,
                "The version of the existing record doesn't match the RowVersion property provided.");
        }

        if (existing is not null && request.Header("If-None-Match") == "*")
        {
            throw new DataverseException(412, ErrorCodes.DuplicateRecord, "A record with matching key values already exists.");
        }

        MergeKey(table, locator, payload);
        if (existing is { } id)
        {
            cost.Updated++;
            Update(table, id, payload.Values, session);
            return Written(table, id, request, session, created: false);
        }

        cost.Created++;
        var newId = Insert(table, locator.Id ?? payload.Id ?? Guid.NewGuid(), payload.Values, session);
        return Written(table, newId, request, session, created: true);
    }

    public ApiResponse Retrieve(TableDefinition table, KeySegment key, ApiRequest request, StoreSession session, OperationCost cost)
    {
        var locator = new RecordLocator(table, key);
        var id = locator.Resolve(session) ?? throw locator.NotFound();
        var select = Query.QueryTranslator.ParseSelect(table, request.QueryOption("$select"));
        cost.Read++;
        // A conditional retrieve of a record that has not changed since the client's copy: 304, no body.
        if (request.Header("If-None-Match") is { } ifNoneMatch and not "*"
            && $"{session.FindVersion(table, id)}" == ifNoneMatch.Replace("W/", "", StringComparison.Ordinal).Trim('"'))
        {
            return new ApiResponse(304);
        }

        var body = RecordSerializer.ToJson(table, session.Get(table, id)!, select, RecordAnnotations.For(request, session));
        body.Insert(0, "@odata.context", $"{request.ServiceRoot}$metadata#{table.EntitySetName}/$entity");
        return new ApiResponse(200, body);
    }

    public ApiResponse Delete(TableDefinition table, KeySegment key, ApiRequest request, StoreSession session, OperationCost cost)
    {
        var locator = new RecordLocator(table, key);
        var id = locator.Resolve(session) ?? throw locator.NotFound();
        // Optimistic concurrency on delete, as on update: a stale If-Match deletes nothing.
        if (request.Header("If-Match") is { } ifMatch and not "*"
            && $"{session.FindVersion(table, id)}" != ifMatch.Replace("W/", "", StringComparison.Ordinal).Trim('"'))
        {
            throw new DataverseException(412, ErrorCodes.ConcurrencyVersionMismatch,
                "The version of the existing record doesn't match the RowVersion property provided.");
        }

        cost.Deleted++;
        session.Delete(table, id);
        return new ApiResponse(204);
    }

    /// <summary>Copies alternate-key values from the URL into the record, rejecting a body that contradicts them.</summary>
    public static void MergeKey(TableDefinition table, RecordLocator locator, RecordPayload payload)
    {
        if (locator.Id is { } id && payload.Id is { } bodyId && bodyId != id)
        {
            throw DataverseException.BadRequest(ErrorCodes.InvalidArgument, $"The id {bodyId} in the body does not match the id {id} in the URL.");
        }

        foreach (var (name, value) in locator.KeyValues)
        {
            if (payload.Values.TryGetValue(name, out var bodyValue) && !Equals(bodyValue, value))
            {
                throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                    $"The key attribute '{name}' is '{bodyValue}' in the body but '{value}' in the key of '{table.LogicalName}'.");
            }

            payload.Values[name] = value;
        }
    }

    private static void CheckRequired(TableDefinition table, Dictionary<string, object?> values, bool creating)
    {
        foreach (var attribute in table.Attributes.Values.Where(a => a.RequiredLevel == RequiredLevel.SystemRequired && !a.IsPrimaryId))
        {
            bool missing = values.TryGetValue(attribute.LogicalName, out var value) ? value is null : creating;
            if (missing)
            {
                throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                    $"Attribute '{attribute.LogicalName}' of '{table.LogicalName}' is required (SystemRequired) and cannot be missing or null.");
            }
        }
    }

    private static ApiResponse Written(TableDefinition table, Guid id, ApiRequest request, StoreSession session, bool created)
    {
        string entityId = $"{request.ServiceRoot}{table.EntitySetName}({id})";
        if (!request.Prefers("return=representation"))
        {
            return new ApiResponse(204).WithHeader("OData-EntityId", entityId);
        }

        var select = Query.QueryTranslator.ParseSelect(table, request.QueryOption("$select"));
        var body = RecordSerializer.ToJson(table, session.Get(table, id)!, select, RecordAnnotations.For(request, session));
        body.Insert(0, "@odata.context", $"{request.ServiceRoot}$metadata#{table.EntitySetName}/$entity");
        return new ApiResponse(created ? 201 : 200, body).WithHeader("OData-EntityId", entityId).WithHeader("Preference-Applied", "return=representation");
    }

    internal static JsonElement Targets(TableDefinition table, ApiRequest request)
    {
        var body = PayloadReader.ParseBody(request.Body, table);
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("Targets", out var targets) || targets.ValueKind != JsonValueKind.Array)
        {
            throw DataverseException.BadRequest(ErrorCodes.PayloadError, "The body must be {\"Targets\": [ ... ]} with one object per record.");
        }

        return targets;
    }
}
