using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Schema;

namespace Empower.Dataverse.Emulator.Records;

/// <summary>Parses a record reference such as <c>/accounts(…)</c>, <c>accounts(accountnumber='A1')</c> or an absolute URL.</summary>
public static class EntityReference
{
    public static KeySegment Parse(string reference, TableDefinition expected)
    {
        string text = Uri.TryCreate(reference, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? Uri.UnescapeDataString(absolute.AbsolutePath)
            : reference;
        int marker = text.IndexOf("/api/data/", StringComparison.OrdinalIgnoreCase);
        if (marker >= 0)
        {
            text = text[(text.IndexOf('/', marker + "/api/data/".Length) + 1)..];
        }

        ResourcePath path;
        try
        {
            path = ResourcePath.Parse(text);
        }
        catch (DataverseException ex)
        {
            throw DataverseException.BadRequest(ErrorCodes.PayloadError,
                $"The reference '{reference}' is not a record URL such as '/{expected.EntitySetName}(<id>)': {ex.Message}");
        }

        if (path.Kind != ResourceKind.Entity || path.Name != expected.EntitySetName)
        {
            throw DataverseException.BadRequest(ErrorCodes.PayloadError,
                $"The reference '{reference}' must point to a record of entity set '{expected.EntitySetName}', e.g. '/{expected.EntitySetName}(<id>)'.");
        }

        return path.Key!;
    }
}
