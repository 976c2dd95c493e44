using System.Text;

namespace Empower.Sync.Dataverse.Writing;

/// <summary>
/// A <c>$batch</c> of independent requests with <c>Prefer: odata.continue-on-error</c>: every item runs and answers
/// on its own, so bad rows come back individually without splitting the batch. Used for creates and upserts where bulk
/// actions are not available, and for deletes and deactivations (standard tables have no bulk delete).
/// </summary>
internal static class BatchRequestBuilder
{
    public static Func<HttpRequestMessage> Build(WriteRequest request, IReadOnlyList<RecordToWrite> records, Uri serviceRoot) =>
        Build(records.Select(r => RequestBuilder.Single(request, r)()).ToList(), serviceRoot);

    /// <summary>A <c>$batch</c> of the given requests (paths relative to the service root); they are disposed.</summary>
    public static Func<HttpRequestMessage> Build(IReadOnlyList<HttpRequestMessage> requests, Uri serviceRoot)
    {
        string boundary = $"batch_{Guid.NewGuid():N}";
        var body = new StringBuilder();
        for (int i = 0; i < requests.Count; i++)
        {
            using var single = requests[i];
            body.Append("--").Append(boundary).Append("\r\n")
                .Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n")
                .Append("Content-ID: ").Append(i + 1).Append("\r\n\r\n")
                .Append(single.Method.Method).Append(' ').Append(new Uri(serviceRoot, single.RequestUri!).AbsoluteUri).Append(" HTTP/1.1\r\n");
            foreach (var header in single.Headers)
            {
                body.Append(header.Key).Append(": ").Append(string.Join(",", header.Value)).Append("\r\n");
            }

            if (single.Content is null)
            {
                body.Append("\r\n");
                continue;
            }

            body.Append("Content-Type: application/json; charset=utf-8\r\n\r\n")
                .Append(single.Content.ReadAsStringAsync().GetAwaiter().GetResult()).Append("\r\n");
        }

        body.Append("--").Append(boundary).Append("--\r\n");
        byte[] bytes = Encoding.UTF8.GetBytes(body.ToString());
        return () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, "$batch") { Content = new ByteArrayContent(bytes) };
            message.Content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/mixed; boundary={boundary}");
            message.Headers.Add("Prefer", "odata.continue-on-error");
            message.Headers.Add("OData-Version", "4.0");
            return message;
        };
    }
}
