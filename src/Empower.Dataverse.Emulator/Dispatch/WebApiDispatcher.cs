using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Auth;
using Empower.Dataverse.Emulator.Metadata;
using Empower.Dataverse.Emulator.Options;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Records;
using Empower.Dataverse.Emulator.Schema;
using Empower.Dataverse.Emulator.Stats;
using Empower.Dataverse.Emulator.Store;

namespace Empower.Dataverse.Emulator.Dispatch;

/// <summary>
/// Routes one Web API operation to its handler inside a unit of work of the store: an operation that fails leaves no
/// trace, whether it came alone, inside a <c>$batch</c> or inside a change set.
/// </summary>
public sealed class WebApiDispatcher
{
    private readonly EmulatorSchema _schema;
    private readonly RecordStore _store;
    private readonly RecordOperations _records;
    private readonly BulkOperations _bulk;
    private readonly CollectionReader _collections;
    private readonly ChangeTrackingReader _changes;

    private readonly EmulatorStats _stats;

    public WebApiDispatcher(EmulatorSchema schema, RecordStore store, EmulatorOptions options, EmulatorStats stats, TimeProvider time)
    {
        _schema = schema;
        _stats = stats;
        _store = store;
        _records = new RecordOperations(schema);
        _bulk = new BulkOperations(schema, _records);
        _collections = new CollectionReader(options);
        _changes = new ChangeTrackingReader(options, time);
    }

    public RecordStore Store => _store;

    public ApiResponse Dispatch(ApiRequest request, EmulatorPrincipal principal, OperationCost cost)
    {
        cost.Operations++;
        try
        {
            var path = ResourcePath.Parse(request.Path);
            return path.Kind switch
            {
                ResourceKind.WhoAmI => WhoAmI(request, principal),
                ResourceKind.EntityDefinitions => EntityMetadataWriter.Handle(_schema, path, request),
                ResourceKind.ServiceDocument => ReadOnly(request, "The service root", () => ServiceDocumentWriter.Write(_schema, request)),
                ResourceKind.Metadata => ReadOnly(request, "$metadata", () => CsdlWriter.Write(_schema)),
                ResourceKind.Batch => throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                    "A $batch request cannot contain another $batch request."),
                _ => _store.Transact(session => DispatchRecords(path, request, session, cost)),
            };
        }
        catch (DataverseException error)
        {
            if (error.Code == ErrorCodes.DuplicateRecord)
            {
                _stats.DuplicateKeyRejected(request.Path.Split('(', '/')[0]);
            }

            return ApiResponse.Error(error);
        }
    }

    private ApiResponse DispatchRecords(ResourcePath path, ApiRequest request, StoreSession session, OperationCost cost)
    {
        var table = _schema.FindByEntitySet(path.Name) ?? throw DataverseException.NotFound(ErrorCodes.ResourceNotFound,
            $"Resource not found for the segment '{path.Name}'. Known entity sets: {string.Join(", ", _schema.Tables.Select(t => t.EntitySetName))}.");
        return (path.Kind, request.Method) switch
        {
            (ResourceKind.EntitySet, "GET") when ChangeTrackingReader.Applies(request) => _changes.Read(table, request, session, cost),
            (ResourceKind.EntitySet, "GET") => _collections.Read(table, request, session, cost),
            (ResourceKind.Count, "GET") => _collections.Count(table, request, session),
            (ResourceKind.EntitySet, "POST") => _records.Create(table, request, session, cost),
            (ResourceKind.Entity, "GET") => _records.Retrieve(table, path.Key!, request, session, cost),
            (ResourceKind.Entity, "PATCH") => _records.Upsert(table, path.Key!, request, session, cost),
            (ResourceKind.Entity, "DELETE") => _records.Delete(table, path.Key!, request, session, cost),
            (ResourceKind.BoundAction, _) => _bulk.Execute(table, path.Action!, request, session, cost),
            _ => throw new DataverseException(405, ErrorCodes.InvalidArgument, $"{request.Method} is not allowed on '{request.Path}'."),
        };
    }

    private static ApiResponse ReadOnly(ApiRequest request, string what, Func<ApiResponse> read) => request.Method == "GET" ? read()
        : throw new DataverseException(405, ErrorCodes.InvalidArgument, $"{what} is read-only: send GET.");

    private static ApiResponse WhoAmI(ApiRequest request, EmulatorPrincipal principal)
    {
        if (request.Method != "GET")
        {
            // Dataverse answers a function called with another method as an unknown resource.
            throw DataverseException.NotFound(ErrorCodes.ResourceNotFound,
                $"Resource not found for the segment 'WhoAmI' with {request.Method}: WhoAmI is a function, call it with GET.");
        }

        return new ApiResponse(200, new JsonObject
        {
            ["@odata.context"] = $"{request.ServiceRoot}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse",
            ["BusinessUnitId"] = EntityMetadataWriter.MetadataId("businessunit").ToString(),
            ["UserId"] = principal.UserId.ToString(),
            ["OrganizationId"] = EntityMetadataWriter.MetadataId("organization").ToString(),
        });
    }
}
