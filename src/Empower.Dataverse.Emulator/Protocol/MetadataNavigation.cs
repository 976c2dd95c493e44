namespace Empower.Dataverse.Emulator.Protocol;

/// <summary>
/// What follows <c>EntityDefinitions(LogicalName='x')</c>: <c>/Attributes</c>, <c>/Attributes(LogicalName='y')</c> or <c>/Keys</c>,
/// optionally cast to a derived type (<c>/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata</c>), as in Microsoft's
/// "Query table definitions using the Web API".
/// </summary>
public sealed record MetadataNavigation(string Property, KeySegment? Key, string? Cast)
{
    private static readonly string[] Properties = ["Attributes", "Keys"];

    public static MetadataNavigation Parse(string tail, string path)
    {
        string[] segments = tail.Trim('/').Split('/');
        string first = segments[0];
        int open = first.IndexOf('(', StringComparison.Ordinal);
        string property = open < 0 ? first : first[..open];
        if (!Properties.Contains(property, StringComparer.Ordinal) || segments.Length > 2 || open >= 0 && !first.EndsWith(')'))
        {
            throw DataverseException.BadRequest(ErrorCodes.ResourceNotFound, $"Resource not found for the segment '{tail.Trim('/')}' in '{path}': " +
                "the emulator serves a table definition's Attributes (one by LogicalName, or cast to a derived type) and Keys.");
        }

        var key = open < 0 ? null : KeySegment.Parse(first[(open + 1)..^1]);
        string? cast = segments.Length == 2 ? segments[1] : null;
        if (cast is not null && !cast.StartsWith(ResourcePath.ActionNamespace, StringComparison.Ordinal))
        {
            throw DataverseException.BadRequest(ErrorCodes.ResourceNotFound, $"Resource not found for the segment '{cast}' in '{path}'.");
        }

        return new MetadataNavigation(property, key, cast?[ResourcePath.ActionNamespace.Length..]);
    }
}
