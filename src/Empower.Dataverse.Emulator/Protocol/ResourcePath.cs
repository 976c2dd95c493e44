namespace Empower.Dataverse.Emulator.Protocol;

/// <summary>A parsed Web API path: <c>accounts</c>, <c>accounts(…)</c>, <c>accounts/Microsoft.Dynamics.CRM.CreateMultiple</c>, <c>$batch</c>, …</summary>
public sealed record ResourcePath(ResourceKind Kind, string Name, KeySegment? Key = null, string? Action = null, MetadataNavigation? Navigation = null)
{
    public const string ActionNamespace = "Microsoft.Dynamics.CRM.";

    public static ResourcePath Parse(string path)
    {
        path = path.Trim('/');
        switch (path)
        {
            case "":
                return new ResourcePath(ResourceKind.ServiceDocument, path);
            case "$metadata":
                return new ResourcePath(ResourceKind.Metadata, path);
            case "$batch":
                return new ResourcePath(ResourceKind.Batch, path);
        }

        int open = path.IndexOf('(', StringComparison.Ordinal);
        int slash = path.IndexOf('/', StringComparison.Ordinal);
        if (open < 0 || (slash >= 0 && slash < open))
        {
            string name = slash < 0 ? path : path[..slash];
            string? rest = slash < 0 ? null : path[(slash + 1)..];
            if (name == "WhoAmI" && rest is null)
            {
                return new ResourcePath(ResourceKind.WhoAmI, name);
            }

            if (rest is null)
            {
                return new ResourcePath(name == "EntityDefinitions" ? ResourceKind.EntityDefinitions : ResourceKind.EntitySet, name);
            }

            return rest == "$count" ? new ResourcePath(ResourceKind.Count, name)
                : new ResourcePath(ResourceKind.BoundAction, name, Action: ParseAction(rest, path));
        }

        string setName = path[..open];
        int close = FindClosingParen(path, open);
        string keyText = path[(open + 1)..close];
        string tail = path[(close + 1)..];
        if (setName == "WhoAmI" && keyText.Length == 0 && tail.Length == 0)
        {
            return new ResourcePath(ResourceKind.WhoAmI, setName);
        }

        if (tail.Length > 0 && setName == "EntityDefinitions")
        {
            return new ResourcePath(ResourceKind.EntityDefinitions, setName, KeySegment.Parse(keyText), Navigation: MetadataNavigation.Parse(tail, path));
        }

        if (tail.Length > 0)
        {
            throw DataverseException.BadRequest(ErrorCodes.ResourceNotFound,
                $"Resource not found for the segment '{tail.TrimStart('/')}' in '{path}': the emulator serves whole records only.");
        }

        var key = KeySegment.Parse(keyText);
        return new ResourcePath(setName == "EntityDefinitions" ? ResourceKind.EntityDefinitions : ResourceKind.Entity, setName, key);
    }

    private static string ParseAction(string rest, string path)
    {
        if (!rest.StartsWith(ActionNamespace, StringComparison.Ordinal) || rest.Length == ActionNamespace.Length
            || rest.Contains('/', StringComparison.Ordinal))
        {
            throw DataverseException.BadRequest(ErrorCodes.ResourceNotFound, $"Resource not found for the segment '{rest}' in '{path}'.");
        }

        return rest[ActionNamespace.Length..];
    }

    private static int FindClosingParen(string path, int open)
    {
        bool inString = false;
        for (int i = open + 1; i < path.Length; i++)
        {
            if (path[i] == '\'')
            {
                inString = !inString;
            }
            else if (path[i] == ')' && !inString)
            {
                return i;
            }
        }

        throw ODataLexer.Syntax($"path '{path}'", "missing ')'");
    }
}
