using System.Text;
using Empower.Dataverse.Emulator.Auth;
using Empower.Dataverse.Emulator.Dispatch;
using Empower.Dataverse.Emulator.Options;
using Empower.Dataverse.Emulator.Protocol;
using Microsoft.AspNetCore.WebUtilities;

namespace Empower.Dataverse.Emulator.Batch;

/// <summary>
/// Executes a <c>$batch</c>: operations run in order; a change set commits all or nothing; without
/// <c>Prefer: odata.continue-on-error</c> processing stops at the first failure and the batch answers 400.
/// See https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api.
/// </summary>
public sealed class BatchProcessor(WebApiDispatcher dispatcher)
{
    public ApiResponse Process(ApiRequest batch, EmulatorPrincipal principal, OperationCost cost)
    {
        if (batch.Method != "POST")
        {
            return ApiResponse.Error(new DataverseException(405, ErrorCodes.InvalidArgument, "$batch must be sent with POST."));
        }

        List<BatchItem> items;
        try
        {
            items = MultipartParser.Parse(batch.Body, MultipartParser.Boundary(batch.Header("Content-Type"), "A $batch request"));
            int count = items.Sum(i => i.ChangeSet?.Count ?? 1);
            if (count > EmulatorDefaults.MaxBatchRequests)
            {
                throw MultipartParser.BadBatch($"it holds {count} requests; the limit is {EmulatorDefaults.MaxBatchRequests}");
            }
        }
        catch (DataverseException error)
        {
            return ApiResponse.Error(error);
        }

        bool continueOnError = batch.Prefers("odata.continue-on-error");
        string boundary = $"batchresponse_{Guid.NewGuid()}";
        var text = new StringBuilder();
        bool failed = false;
        foreach (var item in items)
        {
            bool ok = item.Operation is { } operation
                ? WriteOperation(text, boundary, Dispatch(batch, operation, principal, cost, new ContentIdReferences()), contentId: null)
                : WriteChangeSet(text, boundary, batch, item.ChangeSet!, principal, cost);
            failed |= !ok;
            if (!ok && !continueOnError)
            {
                break;
            }
        }

        text.Append("--").Append(boundary).Append("--\r\n");
        var response = new ApiResponse(failed && !continueOnError ? 400 : 200, text.ToString(), $"multipart/mixed; boundary={boundary}");
        return continueOnError ? response.WithHeader("Preference-Applied", "odata.continue-on-error") : response;
    }

    private bool WriteChangeSet(StringBuilder text, string boundary, ApiRequest batch, IReadOnlyList<BatchOperation> operations,
        EmulatorPrincipal principal, OperationCost cost)
    {
        var references = new ContentIdReferences();
        var responses = new List<(BatchOperation Operation, ApiResponse Response)>();
        ApiResponse? failure = null;
        try
        {
            dispatcher.Store.Transact(_ =>
            {
                foreach (var operation in operations)
                {
                    var response = Dispatch(batch, operation, principal, cost, references);
                    if (response.Status >= 400)
                    {
                        failure = response;
                        throw new ChangeSetFailedException();
                    }

                    responses.Add((operation, response));
                    if (operation.ContentId is { } id && response.Headers.FirstOrDefault(h => h.Key == "OData-EntityId").Value is { } entityId)
                    {
                        references.Add(id, entityId);
                    }
                }

                return 0;
            });
        }
        catch (ChangeSetFailedException)
        {
            // The change set rolled back as a whole; OData returns the failing request's response in its place.
            return WriteOperation(text, boundary, failure!, contentId: null);
        }

        string changeSetBoundary = $"changesetresponse_{Guid.NewGuid()}";
        text.Append("--").Append(boundary).Append("\r\n")
            .Append("Content-Type: multipart/mixed; boundary=").Append(changeSetBoundary).Append("\r\n\r\n");
        foreach (var (operation, response) in responses)
        {
            WriteOperation(text, changeSetBoundary, response, operation.ContentId);
        }

        text.Append("--").Append(changeSetBoundary).Append("--\r\n");
        return true;
    }

    private ApiResponse Dispatch(ApiRequest batch, BatchOperation operation, EmulatorPrincipal principal, OperationCost cost,
        ContentIdReferences references)
    {
        string url;
        string? body;
        try
        {
            url = references.ResolveUrl(operation.Url);
            body = references.ResolveBody(operation.Body);
        }
        catch (DataverseException error)
        {
            return ApiResponse.Error(error);
        }

        var (path, query) = SplitUrl(url, batch.ServiceRoot);
        var request = new ApiRequest(operation.Method, path, query, operation.Headers, body, batch.ServiceRoot);
        return dispatcher.Dispatch(request, principal, cost);
    }

    private static (string Path, Dictionary<string, string> Query) SplitUrl(string url, Uri serviceRoot)
    {
        string relative = url;
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
        {
            relative = absolute.PathAndQuery;
        }

        if (relative.StartsWith(serviceRoot.AbsolutePath, StringComparison.OrdinalIgnoreCase))
        {
            relative = relative[serviceRoot.AbsolutePath.Length..];
        }

        int question = relative.IndexOf('?', StringComparison.Ordinal);
        string path = Uri.UnescapeDataString(question < 0 ? relative : relative[..question]);
        var query = question < 0
            ? new Dictionary<string, string>()
            : QueryHelpers.ParseQuery(relative[question..]).ToDictionary(q => q.Key, q => q.Value.ToString());
        return (path.TrimStart('/'), query);
    }

    private static bool WriteOperation(StringBuilder text, string boundary, ApiResponse response, string? contentId)
    {
        text.Append("--").Append(boundary).Append("\r\n")
            .Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
        if (contentId is not null)
        {
            text.Append("Content-ID: ").Append(contentId).Append("\r\n");
        }

        text.Append("\r\nHTTP/1.1 ").Append(response.Status).Append(' ').Append(ReasonPhrases.GetReasonPhrase(response.Status)).Append("\r\n")
            .Append("OData-Version: 4.0\r\n");
        foreach (var (name, value) in response.Headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (response.Body is { } body)
        {
            text.Append("Content-Type: ").Append(response.ContentType).Append("\r\n\r\n").Append(body.ToJsonString(EmulatorJson.Options)).Append("\r\n");
        }

        text.Append("\r\n");
        return response.Status < 400;
    }

    private sealed class ChangeSetFailedException : Exception;
}
