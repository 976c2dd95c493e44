using System.Globalization;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Schema;

namespace Empower.Dataverse.Emulator.Query;

/// <summary>Translates OData query options into SQL over a table's columns, with literals bound as parameters.</summary>
public static class QueryTranslator
{
    public static CollectionQuery Translate(TableDefinition table, ApiRequest request)
    {
        var select = ParseSelect(table, request.QueryOption("$select"));
        var parameters = new List<object?>();
        string where = request.QueryOption("$filter") is { Length: > 0 } filter
            ? new FilterParser(table, filter, parameters).Parse()
            : "";
        string orderBy = ParseOrderBy(table, request.QueryOption("$orderby"));
        int? top = ParseInt(request.QueryOption("$top"), "$top", min: 0);
        int offset = ParseInt(request.QueryOption("$skiptoken"), "$skiptoken", min: 0) ?? 0;
        bool count = string.Equals(request.QueryOption("$count"), "true", StringComparison.OrdinalIgnoreCase);
        // Dataverse's own query parameters: answering them with the whole table would look like a result.
        if (request.Query.Keys.FirstOrDefault(k => k is "fetchXml" or "savedQuery" or "userQuery") is { } stored)
        {
            throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                $"The query parameter '{stored}' is not supported by the emulator; use $select, $filter, $orderby, $top and $count.");
        }

        foreach (var option in request.Query.Keys.Where(k => k.StartsWith('$')))
        {
            if (option is not ("$select" or "$filter" or "$orderby" or "$top" or "$skiptoken" or "$count"))
            {
                throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                    $"The query option '{option}' is not supported by the emulator (supported: $select, $filter, $orderby, $top, $count).");
            }
        }

        return new CollectionQuery(select, where, parameters, orderBy, top, offset, count);
    }

    public static IReadOnlyList<string>? ParseSelect(TableDefinition table, string? select)
    {
        if (string.IsNullOrWhiteSpace(select))
        {
            return null;
        }

        return select.Split(',').Select(s => Column(table, s.Trim(), "$select")).Distinct().ToList();
    }

    /// <summary>Maps a property name (attribute, <c>_lookup_value</c> or system column) to its stored column name.</summary>
    public static string Column(TableDefinition table, string name, string option)
    {
        if (table.FindAttribute(name) is { Type: not AttributeType.Lookup })
        {
            return name;
        }

        if (name.StartsWith('_') && name.EndsWith("_value", StringComparison.Ordinal)
            && table.FindAttribute(name[1..^6]) is { Type: AttributeType.Lookup } lookup)
        {
            return lookup.LogicalName;
        }

        if (TableDefinition.SystemColumns.Contains(name))
        {
            return name;
        }

        throw DataverseException.BadRequest(ErrorCodes.ResourceNotFound,
            $"Could not find a property named '{name}' on type 'Microsoft.Dynamics.CRM.{table.LogicalName}' (in {option}).");
    }

    private static string ParseOrderBy(TableDefinition table, string? orderBy)
    {
        if (string.IsNullOrWhiteSpace(orderBy))
        {
            return "";
        }

        return string.Join(", ", orderBy.Split(',').Select(part =>
        {
            var words = part.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length is 0 or > 2 || (words.Length == 2 && words[1] is not ("asc" or "desc")))
            {
                throw ODataLexer.Syntax("$orderby", $"'{part.Trim()}' should be '<property> [asc|desc]'");
            }

            return $"\"{Column(table, words[0], "$orderby")}\"{(words.Length == 2 ? " " + words[1].ToUpperInvariant() : "")}";
        }));
    }

    private static int? ParseInt(string? text, string option, int min)
    {
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min
            ? value
            : throw ODataLexer.Syntax(option, $"'{text}' is not a whole number");
    }
}
