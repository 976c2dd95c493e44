using System.Text.Json.Nodes;
using System.Text;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Dataverse.Errors;
using Empower.Sync.Dataverse.Reading;
using Empower.Sync.Dataverse.Sending;

namespace Empower.Sync.Dataverse.Writing;

/// <summary>
/// Deletes or deactivates records by key or id, in <c>$batch</c> requests with continue-on-error (standard tables have
/// no bulk delete), in parallel over the principal pool. A record that is already gone counts as removed, so a retried
/// run does not fail on what an earlier try did.
/// </summary>
internal sealed class RecordRemover(DataverseSender sender, DataverseOptions options)
{
    private static readonly byte[] Inactive = Encoding.UTF8.GetBytes(new JsonObject { ["statecode"] = 1, ["statuscode"] = 2 }.ToJsonString());
    private readonly Uri _serviceRoot = options.ServiceRoot;

    public async Task<WriteResult> RemoveAsync(WriteRequest request, IReadOnlyList<RecordToWrite> records, RemoveMode mode,
        CancellationToken cancellationToken = default)
    {
        var results = new RecordResult[records.Count];
        var chunks = records.Select((r, i) => (Record: r, Index: i)).Chunk(request.BatchSizeIn(options)).ToList();
        await Parallel.ForEachAsync(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = sender.MaxConcurrentRequests, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                var build = BatchRequestBuilder.Build([.. chunk.Select(c => Message(request, c.Record, mode))], _serviceRoot);
                var sent = await sender.SendAsync(mode == RemoveMode.Delete ? "delete" : "deactivate", chunk.Length, build, ct);
                var errors = sent.Status == SendStatus.Succeeded ? BatchResponseParser.Parse(sent.Body, chunk.Length) : null;
                for (int i = 0; i < chunk.Length; i++)
                {
                    var (record, index) = chunk[i];
                    results[index] = sent.Status switch
                    {
                        SendStatus.Deferred => new RecordResult(record.RowId, RecordOutcome.Deferred, sent.Error, sent.RetryAt),
                        SendStatus.Failed => new RecordResult(record.RowId, RecordOutcome.Failed, sent.Error, Principal: sent.Principal),
                        _ => Outcome(record, errors![i], sent),
                    };
                }
            });
        return new WriteResult(results);
    }

    private RecordResult Outcome(RecordToWrite record, DataverseError? error, SendResult sent) => error switch
    {
        null => new RecordResult(record.RowId, RecordOutcome.Written),
        { Code: ErrorClassifier.NotFound } or { Status: 404 } => new RecordResult(record.RowId, RecordOutcome.AlreadyExisted),
        { Kind: ErrorKind.Transient or ErrorKind.Throttled } => new RecordResult(record.RowId, RecordOutcome.Deferred, error, sender.DeferredRetryAt),
        _ => new RecordResult(record.RowId, RecordOutcome.Failed, error, Principal: sent.Principal),
    };

    private static HttpRequestMessage Message(WriteRequest request, RecordToWrite record, RemoveMode mode)
    {
        var table = request.Table;
        string path = request.ByKey
            ? KeyLiteral.ForKey(table.EntitySetName, request.KeyAttributes!, record.Attributes, escapeForUrl: true)
            : KeyLiteral.ForId(table.EntitySetName, record.Id!.Value);
        if (mode == RemoveMode.Delete)
        {
            return new HttpRequestMessage(HttpMethod.Delete, path);
        }

        var message = new HttpRequestMessage(HttpMethod.Patch, path) { Content = new ByteArrayContent(Inactive) };
        message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        message.Headers.TryAddWithoutValidation("If-Match", "*");
        return message;
    }
}
