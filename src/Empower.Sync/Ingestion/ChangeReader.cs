using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Errors;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Dataverse.Sending;

namespace Empower.Sync.Ingestion;

/// <summary>
/// What one read of a tracked table returned: the changes since a delta link, or (<see cref="Snapshot"/>) every record,
/// handed to the read's sink page by page and not kept; <see cref="Records"/> counts the records either way.
/// </summary>
internal sealed record ChangeSet(bool Snapshot, IReadOnlyList<JsonObject> Upserts, IReadOnlyList<string> Deleted, string DeltaLink, int Pages, long Records);

/// <summary>Dataverse refused a delta link (expired, or not one it issued): the table must be read again in full.</summary>
internal sealed class DeltaLinkRefusedException(string message) : Exception(message);

/// <summary>
/// Reads a table with change tracking, page by page through the sender (so reads share principals and layer-1 retries
/// with writes): without a delta link every record and the link to start from; with one, the records created or
/// updated since and the ids deleted since, and the next link. A page deferred past layer 1 is asked again at the time
/// the server gave — or, with <paramref name="deferToCaller"/>, ends the read with <see cref="PageDeferredException"/> so a
/// durable orchestration waits on a timer instead. A snapshot's records go to the caller's sink a page at a time, so
/// its memory is one page, not the table.
/// </summary>
internal sealed class ChangeReader(DataverseSender sender, TimeProvider time, bool deferToCaller = false, Action<int>? pageRead = null)
{
    /// <summary>The changes since <paramref name="deltaLink"/>, kept in memory (a run's changes, by id, latest state).</summary>
    public Task<ChangeSet> ReadChangesAsync(EntityMetadata table, string deltaLink, int pageSize, CancellationToken cancellationToken) =>
        ReadAsync(table, deltaLink, pageSize, snapshot: null, cancellationToken);

    /// <summary>Every record from the first page (or <paramref name="fromPage"/>, a deferred snapshot's next), each page given to <paramref
    /// name="snapshot"/> as it arrives.</summary>
    public Task<ChangeSet> ReadSnapshotAsync(
        EntityMetadata table, string select, int pageSize, Func<IReadOnlyList<JsonObject>, CancellationToken, Task> snapshot,
            CancellationToken cancellationToken,
        string? fromPage = null) =>
        ReadAsync(table, fromPage ?? $"{table.EntitySetName}?$select={select}", pageSize, snapshot, cancellationToken);

    private async Task<ChangeSet> ReadAsync(
        EntityMetadata table, string first, int pageSize, Func<IReadOnlyList<JsonObject>, CancellationToken, Task>? snapshot,
            CancellationToken cancellationToken)
    {
        var upserts = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        var deleted = new List<string>();
        string? next = first;
        string? link = null;
        int pages = 0;
        long records = 0;
        while (next is not null)
        {
            var page = await PageAsync(next, pageSize, snapshot is null && pages == 0, pages, cancellationToken);
            pages++;
            var pageRecords = new List<JsonObject>();
            foreach (var item in page["value"]!.AsArray().OfType<JsonObject>())
            {
                records++;
                if (((string?)item["@odata.context"])?.EndsWith("$deletedEntity", StringComparison.Ordinal) == true)
                {
                    deleted.Add((string)item["id"]!);
                }
                else if (snapshot is null)
                {
                    upserts[(string)item[table.PrimaryIdAttribute]!] = item;
                }
                else
                {
                    pageRecords.Add(item);
                }
            }

            if (snapshot is not null)
            {
                await snapshot(pageRecords, cancellationToken);
            }

            pageRead?.Invoke(page["value"]!.AsArray().Count);

            next = (string?)page["@odata.nextLink"];
            link = (string?)page["@odata.deltaLink"] ?? link;
        }

        return link is null
            ? throw new DataverseRequestException($"Dataverse returned no @odata.deltaLink for '{table.LogicalName}'; is Track changes enabled on the table?")
            : new ChangeSet(snapshot is not null, [.. upserts.Values], deleted, link, pages, snapshot is null ? upserts.Count + deleted.Count : records);
    }

    private async Task<JsonObject> PageAsync(string path, int pageSize, bool followingLink, int pagesRead, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await sender.SendAsync("changes", pageSize, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.TryAddWithoutValidation("Prefer", $"odata.track-changes,odata.maxpagesize={pageSize}");
                return request;
            }, cancellationToken);
            switch (result.Status)
            {
                case SendStatus.Succeeded:
                    return JsonNode.Parse(result.Body)!.AsObject();
                case SendStatus.Deferred when deferToCaller:
                    throw new PageDeferredException(result.RetryAt, path, pagesRead);
                case SendStatus.Deferred:
                    var wait = result.RetryAt - time.GetUtcNow();
                    await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, cancellationToken);
                    break;
                case SendStatus.Failed when followingLink && result.Error is { Status: 400 or 410 }:
                    throw new DeltaLinkRefusedException(result.Error.ToString());
                default:
                    throw new DataverseRequestException($"Reading changes of {path} failed: {result.Error}", result.Error);
            }
        }
    }
}
