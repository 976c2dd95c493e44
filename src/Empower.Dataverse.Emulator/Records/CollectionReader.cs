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
/// <c>@odata.nextLink</c> carries a <c>$skiptoken</c> to the next page.
/// See https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results.
/// </summary>
public sealed class CollectionReader(EmulatorOptions options)
{
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

        int limit = query.Top is { } top ? Math.Min(pageSize, Math.Max(0, top - query.Offset)) : pageSize;
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
            body["@odata.count"] = session.Count(table, query.Where, query.Parameters);
        }

        body["value"] = new JsonArray(rows.Select(r => (JsonNode)RecordSerializer.ToJson(table, r, query.Select)).ToArray());
        if (more && query.Top is null)
        {
            body["@odata.nextLink"] = NextLink(table, request, query.Offset + limit);
        }

        var response = new ApiResponse(200, body);
        return request.Preference("odata.maxpagesize") is { } applied ? response.WithHeader("Preference-Applied", $"odata.maxpagesize={applied}") : response;
    }

    private static string NextLink(TableDefinition table, ApiRequest request, int offset)
    {
        var options = request.Query.Where(q => q.Key != "$skiptoken")
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}")
            .Append($"$skiptoken={offset.ToString(CultureInfo.InvariantCulture)}");
        return $"{request.ServiceRoot}{table.EntitySetName}?{string.Join("&", options)}";
    }
}
