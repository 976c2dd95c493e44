using System.Globalization;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Options;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Query;
using Empower.Dataverse.Emulator.Schema;
using Empower.Dataverse.Emulator.Store;

namespace Empower.Dataverse.Emulator.Records;

/// <summary>
/// Change tracking as https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
/// describes it: a read with <c>Prefer: odata.track-changes</c> returns every record (paged) and, on its last page, an
/// <c>@odata.deltaLink</c> whose <c>$deltatoken</c> marks where it started; following that link returns the records
/// created or updated since (oldest change first), then the deleted ones as <c>$deletedEntity</c> entries, and a new
/// link. <c>$filter</c>, <c>$orderby</c>, <c>$expand</c> and <c>$top</c> are refused, as Dataverse refuses them.
/// The data version a read stops at travels in its <c>$skiptoken</c> with the version its next page starts after:
/// versions are unique, so a record changed or deleted while a client pages is neither skipped nor repeated — its
/// change comes with the next delta.
/// </summary>
public sealed class ChangeTrackingReader(EmulatorOptions options, TimeProvider time)
{
    private static readonly string[] Refused = ["$filter", "$orderby", "$expand", "$top"];

    public static bool Applies(ApiRequest request) =>
        request.QueryOption("$deltatoken") is not null || request.Prefers("odata.track-changes")
            || request.QueryOption("$skiptoken")?.Contains('!', StringComparison.Ordinal) == true;

    public ApiResponse Read(TableDefinition table, ApiRequest request, StoreSession session, OperationCost cost)
    {
        if (!table.ChangeTracking)
        {
            throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                $"Change tracking is not enabled for the table '{table.LogicalName}'; enable Track changes on it first.");
        }

        foreach (string option in request.Query.Keys)
        {
            if (Refused.Contains(option, StringComparer.OrdinalIgnoreCase))
            {
                throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                    $"The \"{option}\" query parameter isn't supported when Change Tracking is enabled.");
            }

            if (option.StartsWith('$') && option is not ("$select" or "$deltatoken" or "$skiptoken"))
            {
                throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                    $"The query option '{option}' is not supported by the emulator with change tracking (supported: $select, $deltatoken).");
            }
        }

        var select = QueryTranslator.ParseSelect(table, request.QueryOption("$select"));
        var token = request.QueryOption("$deltatoken") is { } text ? Check(DeltaToken.Parse(text)) : null;
        var cursor = request.QueryOption("$skiptoken") is { } skip ? Cursor.Parse(skip)
            : new Cursor(Deleted: false, token?.Version ?? 0, session.CurrentVersion);
        var (values, next) = ReadPage(table, request, session, select, cursor, token?.Version, PageSize(request));
        cost.Read += values.Count;

        string columns = select is null ? "" : $"({string.Join(",", select)})";
        var body = new JsonObject { ["@odata.context"] = $"{request.ServiceRoot}$metadata#{table.EntitySetName}{columns}{(token is null ? "" : "/$delta")}" };
        body["value"] = new JsonArray([.. values]);
        if (next is not null)
        {
            body["@odata.nextLink"] = Link(table, [.. Kept(request, "$select", "$deltatoken"), ("$skiptoken", next.ToString())], request);
        }
        else
        {
            body["@odata.deltaLink"] = Link(table, [.. Kept(request, "$select"),
                ("$deltatoken", new DeltaToken(cursor.UpTo, time.GetUtcNow()).ToString())], request);
        }

        var response = new ApiResponse(200, body);
        var applied = new List<string>();
        if (request.Prefers("odata.track-changes"))
        {
            applied.Add("odata.track-changes");
        }

        if (request.Preference("odata.maxpagesize") is { } size)
        {
            applied.Add($"odata.maxpagesize={size}");
        }

        return applied.Count > 0 ? response.WithHeader("Preference-Applied", string.Join(",", applied)) : response;
    }

    /// <summary>
    /// One page: created and updated records first (a snapshot has only those), then — for a delta — the deleted ones,
    /// as Dataverse orders them; and where the next page starts, or null on the last.
    /// </summary>
    private static (List<JsonNode> Values, Cursor? Next) ReadPage(
        TableDefinition table, ApiRequest request, StoreSession session, IReadOnlyList<string>? select, Cursor cursor, long? deltaSince, int pageSize)
    {
        var values = new List<JsonNode>();
        if (!cursor.Deleted)
        {
            var rows = session.Changed(table, cursor.After, cursor.UpTo, pageSize + 1);
            var annotations = RecordAnnotations.For(request, session);
            values.AddRange(rows.Take(pageSize).Select(r => (JsonNode)RecordSerializer.ToJson(table, r, select, annotations)));
            if (rows.Count > pageSize)
            {
                return (values, cursor with { After = Convert.ToInt64(rows[pageSize - 1]["versionnumber"], CultureInfo.InvariantCulture) });
            }

            if (deltaSince is not { } since)
            {
                return (values, null);
            }

            cursor = new Cursor(Deleted: true, since, cursor.UpTo);
        }

        int room = pageSize - values.Count;
        var deleted = session.Deleted(table, cursor.After, cursor.UpTo, room + 1);
        values.AddRange(deleted.Take(room).Select(d => (JsonNode)new JsonObject
        {
            ["@odata.context"] = $"{request.ServiceRoot}$metadata#{table.EntitySetName}/$deletedEntity",
            ["id"] = d.Id,
            ["reason"] = "deleted",
        }));
        return deleted.Count > room ? (values, cursor with { After = room == 0 ? cursor.After : deleted[room - 1].Version }) : (values, null);
    }

    /// <summary>Microsoft documents that an expired token throws, not the code: the emulator answers 400 with 0x80040203 (modelled).</summary>
    private DeltaToken Check(DeltaToken token)
    {
        var age = time.GetUtcNow() - token.IssuedAt;
        return age > TimeSpan.FromSeconds(options.ChangeTracking.RetentionSeconds)
            ? throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                $"The $deltatoken was issued at {token.IssuedAt:u}, longer ago than the {options.ChangeTracking.RetentionSeconds} s this organization keeps " +
                    $"changes (ExpireChangeTrackingInDays); read the table again in full with Prefer: odata.track-changes.")
            : token;
    }

    private int PageSize(ApiRequest request) =>
        request.Preference("odata.maxpagesize") is not { } preferred ? options.MaxPageSize
        : int.TryParse(preferred, NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size > 0 ? Math.Min(size, options.MaxPageSize)
        : throw DataverseException.BadRequest(ErrorCodes.InvalidArgument, $"Prefer: odata.maxpagesize={preferred} is not a positive whole number.");

    private static IEnumerable<(string Name, string Value)> Kept(ApiRequest request, params string[] names) =>
        names.Where(n => request.QueryOption(n) is not null).Select(n => (n, request.QueryOption(n)!));

    private static string Link(TableDefinition table, IEnumerable<(string Name, string Value)> query, ApiRequest request) =>
        $"{request.ServiceRoot}{table.EntitySetName}?{string.Join("&", query.Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value)}"))}";

    /// <summary>Where a page starts: after a data version, among changed records or (a delta's second part) deleted ones, up to the read's last
    /// version.</summary>
    private sealed record Cursor(bool Deleted, long After, long UpTo)
    {
        public override string ToString() =>
            $"{(Deleted ? 'd' : 'c')}{After.ToString(CultureInfo.InvariantCulture)}!{UpTo.ToString(CultureInfo.InvariantCulture)}";

        public static Cursor Parse(string text)
        {
            var parts = text.Length > 1 ? text[1..].Split('!') : [];
            return parts.Length == 2 && text[0] is 'c' or 'd'
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long after)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long upTo)
                ? new Cursor(text[0] == 'd', after, upTo)
                : throw ODataLexer.Syntax("$skiptoken", $"'{text}' is not a page of a change tracking read");
        }
    }
}
