using System.Globalization;
using System.Net;
using Empower.Sync.Dataverse.Errors;

namespace Empower.Sync.Dataverse.Writing;

/// <summary>Reads the item responses of a <c>$batch</c> answer, in order: each item's status and, for failures, its error.</summary>
internal static class BatchResponseParser
{
    public static IReadOnlyList<DataverseError?> Parse(string body, int expected)
    {
        int firstLine = body.IndexOf("\r\n", StringComparison.Ordinal);
        string boundary = (firstLine > 0 ? body[..firstLine] : body).Trim();
        if (!boundary.StartsWith("--", StringComparison.Ordinal))
        {
            throw new FormatException("The $batch response does not start with a multipart boundary.");
        }

        var results = new List<DataverseError?>();
        foreach (var part in body.Split(boundary, StringSplitOptions.RemoveEmptyEntries))
        {
            int statusLine = part.IndexOf("HTTP/1.1 ", StringComparison.Ordinal);
            if (statusLine < 0)
            {
                continue;
            }

            int status = int.Parse(part.AsSpan(statusLine + 9, 3), CultureInfo.InvariantCulture);
            int bodyStart = part.IndexOf("\r\n\r\n", statusLine, StringComparison.Ordinal);
            string itemBody = bodyStart < 0 ? "" : part[(bodyStart + 4)..].Trim();
            results.Add(status is >= 200 and < 300 ? null : DataverseError.Parse((HttpStatusCode)status, itemBody));
        }

        if (results.Count != expected)
        {
            throw new FormatException($"The $batch response holds {results.Count} item responses for {expected} requests.");
        }

        return results;
    }
}
