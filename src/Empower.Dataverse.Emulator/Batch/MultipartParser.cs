using Empower.Dataverse.Emulator.Protocol;

namespace Empower.Dataverse.Emulator.Batch;

/// <summary>
/// Parses <c>multipart/mixed</c> batch bodies (OData 4.0 Part 1 §11.7) into operations and change sets.
/// Lines may end in CRLF (as the spec says) or LF (as many hand-written clients send).
/// </summary>
public static class MultipartParser
{
    public static string Boundary(string? contentType, string what)
    {
        var boundary = contentType?.Split(';').Select(p => p.Trim())
            .FirstOrDefault(p => p.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase))?["boundary=".Length..].Trim('"');
        if (contentType is null || !contentType.TrimStart().StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(boundary))
        {
            throw BadBatch($"{what} needs 'Content-Type: multipart/mixed; boundary=...', got '{contentType}'");
        }

        return boundary;
    }

    public static List<BatchItem> Parse(string? body, string boundary)
    {
        RequireCrlf(body ?? "", boundary);
        var items = new List<BatchItem>();
        foreach (var part in Split(SplitLines(body ?? ""), boundary, "batch"))
        {
            string contentType = part.Header("Content-Type") ?? "";
            if (contentType.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
            {
                string changeSetBoundary = Boundary(contentType, "A change set part");
                var operations = Split(part.Lines, changeSetBoundary, "change set").Select(ReadOperation).ToList();
                if (operations.Any(o => o.Method == "GET"))
                {
                    throw BadBatch("a change set can hold only POST, PATCH, PUT and DELETE requests; send GET requests outside change sets");
                }

                items.Add(new BatchItem(null, operations));
            }
            else
            {
                items.Add(new BatchItem(ReadOperation(part), null));
            }
        }

        return items;
    }

    public static DataverseException BadBatch(string detail) =>
        DataverseException.BadRequest(ErrorCodes.InvalidArgument, $"The batch request is malformed: {detail}.");

    /// <summary>
    /// Multipart framing ends its lines with CRLF (RFC 2046 §5.1.1, which OData's batch format and Dataverse follow): a delimiter
    /// line ended by a bare LF is refused rather than guessed at, as Dataverse refuses it. Part bodies may hold bare LFs.
    /// </summary>
    private static void RequireCrlf(string body, string boundary)
    {
        string delimiter = "--" + boundary;
        for (int i = body.IndexOf(delimiter, StringComparison.Ordinal); i >= 0; i = body.IndexOf(delimiter, i + 1, StringComparison.Ordinal))
        {
            int end = i + delimiter.Length;
            end += body.AsSpan(end).StartsWith("--") ? 2 : 0;
            bool bareBefore = i > 0 && body[i - 1] == '\n' && (i < 2 || body[i - 2] != '\r');
            bool bareAfter = end < body.Length && body[end] == '\n';
            if (bareBefore || bareAfter)
            {
                int line = body.AsSpan(0, i).Count('\n') + 1;
                throw BadBatch($"line {line} ('{delimiter}…') is ended or preceded by a bare LF; multipart bodies need CRLF line endings");
            }
        }
    }

    private static List<string> SplitLines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

    private static List<MimePart> Split(IReadOnlyList<string> lines, string boundary, string what)
    {
        string delimiter = "--" + boundary;
        var parts = new List<MimePart>();
        List<string>? current = null;
        bool closed = false;
        foreach (var line in lines)
        {
            if (line == delimiter || line == delimiter + "--")
            {
                if (current is not null)
                {
                    parts.Add(ToPart(current, what));
                }

                current = line == delimiter ? [] : null;
                closed = line != delimiter;
                if (closed)
                {
                    break;
                }
            }
            else
            {
                current?.Add(line);
            }
        }

        if (!closed)
        {
            throw BadBatch($"the {what} does not end with its closing boundary '{delimiter}--'");
        }

        if (parts.Count == 0)
        {
            throw BadBatch($"the {what} has no parts");
        }

        return parts;
    }

    private static MimePart ToPart(List<string> lines, string what)
    {
        var (headers, next) = ReadHeaders(lines, 0, what);
        var content = lines.Skip(next).ToList();
        while (content.Count > 0 && content[^1].Length == 0)
        {
            content.RemoveAt(content.Count - 1);
        }

        return new MimePart(headers, content);
    }

    private static BatchOperation ReadOperation(MimePart part)
    {
        if (!string.Equals(part.Header("Content-Type")?.Split(';')[0].Trim(), "application/http", StringComparison.OrdinalIgnoreCase))
        {
            throw BadBatch($"each part must be 'Content-Type: application/http' (or a multipart/mixed change set), got '{part.Header("Content-Type")}'");
        }

        var lines = part.Lines;
        int first = 0;
        while (first < lines.Count && lines[first].Length == 0)
        {
            first++;
        }

        var requestLine = first < lines.Count ? lines[first].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        if (requestLine.Length < 2 || requestLine[0] is not ("GET" or "POST" or "PATCH" or "PUT" or "DELETE"))
        {
            throw BadBatch($"a part does not start with a request line such as 'POST accounts HTTP/1.1' (found '{(first < lines.Count ? lines[first] : "")}')");
        }

        var (headers, next) = ReadHeaders(lines, first + 1, "request");
        string body = string.Join("\n", lines.Skip(next));
        return new BatchOperation(part.Header("Content-ID") ?? headers.GetValueOrDefault("Content-ID"), requestLine[0], requestLine[1], headers,
            body.Length == 0 ? null : body);
    }

    private static (Dictionary<string, string> Headers, int Next) ReadHeaders(IReadOnlyList<string> lines, int start, string what)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = start;
        for (; i < lines.Count && lines[i].Length > 0; i++)
        {
            int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw BadBatch($"'{lines[i]}' in a {what} is not a 'Name: value' header");
            }

            headers[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
        }

        return (headers, Math.Min(i + 1, lines.Count));
    }
}
