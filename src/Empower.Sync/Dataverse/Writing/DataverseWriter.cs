using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Dataverse.Errors;
using Empower.Sync.Dataverse.Reading;
using Empower.Sync.Dataverse.Sending;
using Empower.Sync.Dataverse.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Empower.Sync.Dataverse.Writing;

/// <summary>
/// Writes rows in bulk requests, in parallel over the principal pool. A request rejected because of its data is split
/// in halves until the bad rows stand alone, so every good row lands and each bad row comes back with Dataverse's
/// error. Insert uses deterministic ids: when a create meets "already exists", the ids already present are looked up
/// and counted as written (an earlier try committed them), and only the others are sent again. A resend that meets it
/// too (its own response may have been lost after the commit) is looked up again: a row fails as a duplicate only when
/// its own create was refused and its id is still absent, so another record holds its key.
/// </summary>
internal sealed class DataverseWriter(DataverseSender sender, DataverseOptions options, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly Uri _serviceRoot = options.ServiceRoot;
    private readonly RecordReader _reader = new(sender);
    private readonly ConcurrentDictionary<string, bool> _bulkRefused = new(StringComparer.OrdinalIgnoreCase);

    public async Task<WriteResult> WriteAsync(WriteRequest request, IReadOnlyList<RecordToWrite> records, CancellationToken cancellationToken = default)
    {
        Validate(request, records);
        var results = new RecordResult[records.Count];
        var index = new Dictionary<long, int>(records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            index.Add(records[i].RowId, i);
        }

        int initial = request.BatchSizeIn(options);
        var sizer = new BatchSizeController(initial, Math.Min(options.MinBatchSize, initial));
        await Parallel.ForEachAsync(
            Batches(records, sizer),
            new ParallelOptions { MaxDegreeOfParallelism = sender.MaxConcurrentRequests, CancellationToken = cancellationToken },
            async (batch, ct) =>
            {
                foreach (var result in await WriteBatchAsync(request, batch, sizer, existenceChecked: false, ct))
                {
                    results[index[result.RowId]] = result;
                    DataverseTelemetry.Rows.Add(1, new KeyValuePair<string, object?>("empower.dataverse.outcome", result.Outcome.ToString()));
                }
            });
        return new WriteResult(results);
    }

    private static void Validate(WriteRequest request, IReadOnlyList<RecordToWrite> records)
    {
        var table = request.Table;
        if (request.ByKey && table.FindKey(request.KeyAttributes!) is null)
        {
            throw new ArgumentException(
                $"The columns {string.Join(", ", request.KeyAttributes!)} are not an alternate key of the Dataverse table '{table.LogicalName}' (its keys: " +
                    $"{string.Join("; ", table.Keys.Select(k => $"{k.LogicalName} = {string.Join(", ", k.Attributes)}"))}).");
        }

        bool needsId = request.Mode == WriteMode.Insert || !request.ByKey;
        var missing = needsId ? records.FirstOrDefault(r => r.Id is null) : null;
        if (missing is not null)
        {
            string why = request.Mode == WriteMode.Insert
                ? "Insert needs a deterministic id (DeterministicId.For)"
                : "Upsert without a key matches on the primary id";
            throw new ArgumentException($"Row {missing.RowId} has no record id: {why}.");
        }
    }

    private static async IAsyncEnumerable<RecordToWrite[]> Batches(IReadOnlyList<RecordToWrite> records, BatchSizeController sizer,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int start = 0; start < records.Count;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int size = Math.Min(sizer.Current, records.Count - start);
            yield return records.Skip(start).Take(size).ToArray();
            start += size;
            await Task.CompletedTask;
        }
    }

    private async Task<IReadOnlyList<RecordResult>> WriteBatchAsync(
        WriteRequest request, RecordToWrite[] batch, BatchSizeController sizer, bool existenceChecked, CancellationToken cancellationToken)
    {
        if (batch.Length > 1 && (!options.UseBulkActions || _bulkRefused.ContainsKey(request.Table.LogicalName)))
        {
            return await WriteAsBatchAsync(request, batch, existenceChecked, cancellationToken);
        }

        var build = batch.Length == 1 ? RequestBuilder.Single(request, batch[0]) : RequestBuilder.Bulk(request, batch);
        var result = await sender.SendAsync(batch.Length == 1 ? "single" : "bulk", batch.Length, build, cancellationToken);
        if (batch.Length > 1 && sizer.Observe(result.Slow) is { } newSize)
        {
            DataverseLog.BatchSizeChanged(_logger, request.Table.LogicalName, newSize, result.Slow ? "a slow or timed-out request" : "fast requests");
        }

        switch (result.Status)
        {
            case SendStatus.Succeeded:
                return batch.Select(r => new RecordResult(r.RowId, RecordOutcome.Written)).ToList();
            case SendStatus.Deferred:
                DataverseLog.Deferred(_logger, batch.Length, result.RetryAt, result.Error?.Message ?? "");
                return batch.Select(r => new RecordResult(r.RowId, RecordOutcome.Deferred, result.Error, result.RetryAt)).ToList();
        }

        var error = result.Error!;
        if (error.Kind == ErrorKind.Fatal && batch.Length > 1 && _bulkRefused.TryAdd(request.Table.LogicalName, true))
        {
            DataverseLog.BulkRefused(_logger, request.Table.LogicalName, error.ToString());
            return await WriteAsBatchAsync(request, batch, existenceChecked, cancellationToken);
        }

        if (error.Kind == ErrorKind.Fatal)
        {
            throw new DataverseRequestException($"Dataverse refused the request to write to '{request.Table.LogicalName}': {error}", error);
        }

        if (request.Mode == WriteMode.Insert && error.Code == ErrorClassifier.DuplicateRecord)
        {
            return existenceChecked && batch.Length == 1
                ? await FailUnlessCreatedAsync(request, [(batch[0], error)], result.Principal, cancellationToken)
                : await ResendMissingAsync(request, batch, sizer, existenceChecked, cancellationToken);
        }

        if (batch.Length == 1)
        {
            return [new RecordResult(batch[0].RowId, RecordOutcome.Failed, error, Principal: result.Principal)];
        }

        DataverseLog.Bisecting(_logger, batch.Length, error.ToString());
        int half = batch.Length / 2;
        var halves = await Task.WhenAll(
            WriteBatchAsync(request, batch[..half], sizer, existenceChecked, cancellationToken),
            WriteBatchAsync(request, batch[half..], sizer, existenceChecked, cancellationToken));
        return [.. halves[0], .. halves[1]];
    }

    /// <summary>One <c>$batch</c> with continue-on-error: each row answers for itself, so no splitting is needed.</summary>
    private async Task<IReadOnlyList<RecordResult>> WriteAsBatchAsync(
        WriteRequest request, RecordToWrite[] batch, bool existenceChecked, CancellationToken cancellationToken)
    {
        var result = await sender.SendAsync("batch", batch.Length, BatchRequestBuilder.Build(request, batch, _serviceRoot), cancellationToken);
        if (result.Status == SendStatus.Deferred)
        {
            return batch.Select(r => new RecordResult(r.RowId, RecordOutcome.Deferred, result.Error, result.RetryAt)).ToList();
        }

        if (result.Status == SendStatus.Failed)
        {
            throw new DataverseRequestException($"Dataverse refused a $batch for '{request.Table.LogicalName}': {result.Error}", result.Error);
        }

        var items = BatchResponseParser.Parse(result.Body, batch.Length);
        var results = new List<RecordResult>(batch.Length);
        var duplicates = new List<(RecordToWrite Row, DataverseError Error)>();
        for (int i = 0; i < batch.Length; i++)
        {
            var error = items[i];
            if (error is null)
            {
                results.Add(new RecordResult(batch[i].RowId, RecordOutcome.Written));
            }
            else if (request.Mode == WriteMode.Insert && error.Code == ErrorClassifier.DuplicateRecord)
            {
                duplicates.Add((batch[i], error));
            }
            else if (error.Kind is ErrorKind.Transient or ErrorKind.Throttled)
            {
                results.AddRange(await WriteBatchAsync(request, [batch[i]], new BatchSizeController(1, 1), existenceChecked, cancellationToken));
            }
            else
            {
                results.Add(new RecordResult(batch[i].RowId, RecordOutcome.Failed, error, Principal: result.Principal));
            }
        }

        if (duplicates.Count > 0)
        {
            // Each item answered for itself: after a look-up, an item refused as a duplicate needs no second send.
            results.AddRange(existenceChecked
                ? await FailUnlessCreatedAsync(request, duplicates, result.Principal, cancellationToken)
                : await ResendMissingAsync(request, [.. duplicates.Select(d => d.Row)], new BatchSizeController(duplicates.Count, 1),
                    false, cancellationToken));
        }

        return results;
    }

    /// <summary>
    /// Insert met "already exists": rows whose deterministic id is present were created by an earlier try; the others are
    /// sent again. A request sent after a look-up whose rows are all still absent is split, so a row whose key another
    /// record holds ends up alone (and then fails, see <see cref="FailUnlessCreatedAsync"/>).
    /// </summary>
    private async Task<IReadOnlyList<RecordResult>> ResendMissingAsync(
        WriteRequest request, RecordToWrite[] batch, BatchSizeController sizer, bool checkedBefore, CancellationToken cancellationToken)
    {
        var existing = await ExistingIdsAsync(request, batch.Select(r => r.Id!.Value).ToList(), cancellationToken);
        if (existing is null)
        {
            var retryAt = sender.DeferredRetryAt;
            return batch.Select(r => new RecordResult(r.RowId, RecordOutcome.Deferred,
                new DataverseError(0, "", "could not check which records already exist"), retryAt)).ToList();
        }

        var results = batch.Where(r => existing.Contains(r.Id!.Value)).Select(r => new RecordResult(r.RowId, RecordOutcome.AlreadyExisted)).ToList();
        var missing = batch.Where(r => !existing.Contains(r.Id!.Value)).ToArray();
        if (missing.Length == 0)
        {
            return results;
        }

        if (!checkedBefore || missing.Length < batch.Length)
        {
            results.AddRange(await WriteBatchAsync(request, missing, sizer, existenceChecked: true, cancellationToken));
        }
        else
        {
            int half = missing.Length / 2;
            var halves = await Task.WhenAll(
                WriteBatchAsync(request, missing[..half], sizer, existenceChecked: true, cancellationToken),
                WriteBatchAsync(request, missing[half..], sizer, existenceChecked: true, cancellationToken));
            results.AddRange([.. halves[0], .. halves[1]]);
        }

        return results;
    }

    /// <summary>Rows whose own create, sent after a look-up, was refused as a duplicate: written if their id now exists, else failed.</summary>
    private async Task<IReadOnlyList<RecordResult>> FailUnlessCreatedAsync(
        WriteRequest request, IReadOnlyList<(RecordToWrite Row, DataverseError Error)> rows, string? principal, CancellationToken cancellationToken)
    {
        var existing = await ExistingIdsAsync(request, [.. rows.Select(r => r.Row.Id!.Value)], cancellationToken);
        if (existing is null)
        {
            var retryAt = sender.DeferredRetryAt;
            return [.. rows.Select(r => new RecordResult(r.Row.RowId, RecordOutcome.Deferred,
                new DataverseError(0, "", "could not check which records already exist"), retryAt))];
        }

        return [.. rows.Select(r => existing.Contains(r.Row.Id!.Value)
            ? new RecordResult(r.Row.RowId, RecordOutcome.AlreadyExisted)
            : new RecordResult(r.Row.RowId, RecordOutcome.Failed, r.Error, Principal: principal))];
    }

    /// <summary>
    /// Which of these record ids exist, asking again while Dataverse is throttled, for up to
    /// <see cref="DataverseDefaults.LastLookSeconds"/> — the last look before rows are given up. Ids it could not check
    /// come back as unchecked.
    /// </summary>
    public async Task<(HashSet<Guid> Existing, IReadOnlyList<Guid> Unchecked)> ExistingIdsPatientlyAsync(WriteRequest request, IReadOnlyList<Guid> ids,
        CancellationToken cancellationToken)
    {
        var existing = new HashSet<Guid>();
        var pending = ids.Chunk(RecordReader.KeysPerQuery).ToList();
        long started = sender.Time.GetTimestamp();
        while (pending.Count > 0)
        {
            var unanswered = new List<Guid[]>();
            foreach (var chunk in pending)
            {
                if (await ExistingIdsAsync(request, chunk, cancellationToken) is { } found)
                {
                    existing.UnionWith(found);
                }
                else
                {
                    unanswered.Add(chunk);
                }
            }

            pending = unanswered;
            if (pending.Count == 0 || sender.Time.GetElapsedTime(started) > TimeSpan.FromSeconds(DataverseDefaults.LastLookSeconds))
            {
                break;
            }

            await Task.Delay(options.MaxThrottleWait, sender.Time, cancellationToken);
        }

        return (existing, [.. pending.SelectMany(c => c)]);
    }

    /// <summary>Which of these record ids exist in the request's table; null when Dataverse could not be read.</summary>
    private async Task<HashSet<Guid>?> ExistingIdsAsync(WriteRequest request, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        string idAttribute = request.Table.PrimaryIdAttribute;
        var found = await _reader.ReadAsync(
            request.Table, [idAttribute], [.. ids.Select(id => new JsonObject { [idAttribute] = id.ToString("D") })], [idAttribute], cancellationToken);
        return found?.Select(record => Guid.Parse((string)record[idAttribute]!)).ToHashSet();
    }
}
