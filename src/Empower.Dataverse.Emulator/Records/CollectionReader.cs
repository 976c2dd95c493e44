using System.Globalization;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Options;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Query;
using Empower.Dataverse.Emulator.Schema;
using Empower.Dataverse.Emulator.Store;

namespace Empower.Dataverse.Emulator.Records;

/// <summary>
/// Collection reads with server-driven paging: <c>Prefer: odata.maxpagesize</c> sets the page size and
/// <c>@odata.nextLink</c> carries a <c>$skiptoken</c> to the next page; <c>$top</c> wins over the page size (its rows,
/// no paging). Counts (<c>$count=true</c>, <c>/$count</c>) stop at 5,000, with the
/// <c>totalrecordcount</c> annotations on request.
/// See https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results and …/query/count-rows.
/// </summary>
public sealed class CollectionReader(EmulatorOptions options)
{
    /// <summary>The most a count says for a standard table.</summary>
    public const int CountLimit = 5000;

    private const string TotalRecordCount = "Microsoft.Dynamics.CRM.totalrecordcount";

    private const string TotalRecordCountLimitExceeded = "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded";

    /// <summary><c>GET accounts/$count</c>: the matching records, up to 5,000, as plain text.</summary>
    public ApiResponse Count(TableDefinition table, ApiRequest request, StoreSession session)
    {
        var query = QueryTranslator.Translate(table, request);
        if (query.Select is not null || query.OrderBy.Length > 0 || query.Top is not null)
        {
            throw DataverseException.BadRequest(ErrorCodes.InvalidArgument, "/$count takes only $filter.");
        }

        long count = Math.Min(session.Count(table, query.Where, query.Parameters), CountLimit);
        return new ApiResponse(200, count.ToString(CultureInfo.InvariantCulture), "text/plain");
    }

    public ApiResponse Read(TableDefinition table, ApiRequest request, StoreSession session, OperationCost cost)
    {
        var query = QueryTranslator.Translate(table, request);
        int pageSize = options.MaxPageSize;
        if (request.Preference("odata.maxpagesize") is { } preferred)
        {
            pageSize = int.TryParse(preferred, NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size > 0
                ? Math.Min(size, options.MaxPageSize)
                : throw DataverseException.BadRequest(ErrorCodes.InvalidArgument, $"Prefer: odata.maxpagesize={preferred} is not a positive whole number.");
        }

        int limit = query.Top is { } top ? Math.Min(options.MaxPageSize, Math.Max(0, top - query.Offset)) : pageSize;
        var rows = session.Query(table, query.Where, query.Parameters, query.OrderBy, query.Offset, limit + 1);
        bool more = rows.Count > limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        cost.Read += rows.Count;
        var body = new JsonObject { ["@odata.context"] = $"{request.ServiceRoot}$metadata#{table.EntitySetName}" };
        if (query.Count)
        {
            long count = session.Count(table, query.Where, query.Parameters);
            body["@odata.count"] = Math.Min(count, CountLimit);
            if (request.IncludesAnnotation(TotalRecordCount))
            {
                body["@" + TotalRecordCount] = Math.Min(count, CountLimit);
            }

            if (request.IncludesAnnotation(TotalRecordCountLimitExceeded))
            {
                body["@" + TotalRecordCountLimitExceeded] = count > CountLimit;
            }
        }

        var annotations = RecordAnnotations.For(request, session);
        body["value"] = new JsonArray(rows.Select(r => (JsonNode)RecordSerializer.ToJson(table, r, query.Select, annotations)).ToArray());
        if (more && query.Top is null)
        {
            body["@odata.nextLink"] = NextLink(table, request, query.Offset + limit);
        }

        var response = new ApiResponse(200, body);
        return request.Preference("odata.maxpagesize") is { } applied && query.Top is null
            ? response.WithHeader("Preference-Applied", $"odata.maxpagesize={applied}")
            : response;
    }

    private static string NextLink(TableDefinition table, ApiRequest request, int offset)
    {
        var options = request.Query.Where(q => q.Key != "$skiptoken")
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}")
            .Append($"$skiptoken={offset.ToString(CultureInfo.InvariantCulture)}");
        return $"{request.ServiceRoot}{table.EntitySetName}?{string.Join("&", options)}";
    }
}
