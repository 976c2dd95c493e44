using System.Text.Json.Nodes;
using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Delta.Log;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Lake.Writing;

namespace Empower.Sync.Ingestion;

/// <summary>What the table says of its ingest job: its version, the delta link of the last run and that run's sequence number.</summary>
internal sealed record IngestState(long? Version, string? DeltaLink, long Sequence, LakeSchema? Schema);

/// <summary>What applying a change set did to the table.</summary>
internal sealed record AppliedChanges(long Version, long Created, long Updated, long Deleted, long DeletesNotFound, int FilesAdded, int FilesRemoved);

/// <summary>Another run of the job committed the version this run read from: this run wrote nothing the table shows.</summary>
internal sealed class IngestConflictException(string message) : Exception(message);

/// <summary>
/// The Delta table an ingest job keeps: each run is one commit holding its data files, the <c>remove</c> of the files
/// it rewrote, a <c>txn</c> action (<c>appId</c> = the job, <c>version</c> = the run's sequence) and, in
/// <c>commitInfo.empowerIngest</c>, the delta link to read from next — the data and the link commit together or not at
/// all. The commit is put-if-absent on the version after the one the run read, so of two runs of a job one commits.
/// Updates and deletes copy on write: a file holding a changed or deleted record is rewritten without it, and the
/// commit's Change Data Feed files say what changed (the table has <c>delta.enableChangeDataFeed</c>).
/// </summary>
public sealed class IngestTable(ILakeStorage storage, TimeProvider time)
{
    /// <summary>Rows per data file: files stay a few MB, and a change rewrites at most this many rows per file it touches.</summary>
    public const int RowsPerFile = 100_000;

    private const int CommitsSearched = 100;

    /// <summary>The table's properties: Change Data Feed on, so Spark reads each run's inserts, updates and deletes.</summary>
    private static readonly Dictionary<string, string> Properties = new() { ["delta.enableChangeDataFeed"] = "true" };

    public ILakeStorage Storage => storage;

    internal async Task<IngestState> StateAsync(string job, CancellationToken cancellationToken)
    {
        if (!await DeltaTable.ExistsAsync(storage, cancellationToken))
        {
            return new IngestState(null, null, 0, null);
        }

        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest, cancellationToken);
        long latest = table.Version!.Value;
        // The newest commit of this job holds its link; commits of others (an OPTIMIZE from Spark) are passed over.
        for (long version = latest; version >= Math.Max(0, latest - CommitsSearched); version--)
        {
            string path = $"{LogListing.LogFolder}{version:D20}.json";
            if (!await storage.ExistsAsync(path, cancellationToken))
            {
                break;
            }

            using var reader = new StreamReader(await storage.OpenReadAsync(path, cancellationToken));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length > 0 && JsonNode.Parse(line)?["commitInfo"]?["empowerIngest"] is JsonObject ingest && (string?)ingest["job"] == job)
                {
                    return new IngestState(latest, (string?)ingest["deltaLink"], (long)ingest["sequence"]!, table.Schema);
                }
            }
        }

        return new IngestState(latest, null, 0, table.Schema);
    }

    /// <summary>A snapshot of <paramref name="schema"/> to fill page by page, then commit with <see cref="ReplaceAsync"/>.</summary>
    internal SnapshotWriter BeginSnapshot(LakeSchema schema, string table, IngestResume? resume = null)
        => new(new DeltaAppendWriter(storage, schema, time), table, resume);

    /// <summary>Replaces the table's rows with the snapshot's files; a new schema is committed with them.</summary>
    internal async Task<AppliedChanges> ReplaceAsync(
        IngestState state, LakeSchema schema, SnapshotWriter snapshot, JsonObject commitInfo, CancellationToken cancellationToken)
    {
        var writer = new DeltaAppendWriter(storage, schema, time);
        var added = (await snapshot.CompleteAsync(cancellationToken)).ToList();
        var removed = state.Version is null ? [] : (await LakeTableOpener.OpenAsync(storage, TableRequest.Latest,
            cancellationToken)).Files.Select(f => f.Path).ToList();
        bool newSchema = state.Schema is null || !state.Schema.Fields.SequenceEqual(schema.Fields);
        long version = await CommitAsync(writer, state, added, removed, commitInfo, newSchema, cancellationToken);
        return new AppliedChanges(version, snapshot.Rows, 0, 0, 0, added.Count, removed.Count);
    }

    /// <summary>
    /// Applies changes: each file holding a record in <paramref name="upserts"/>, <paramref name="deleted"/> or
    /// <paramref name="filteredOut"/> (changed records the job's filter no longer keeps) is rewritten without it, and
    /// the upserted records are added in new files.
    /// </summary>
    internal async Task<AppliedChanges> ApplyAsync(
        IngestState state, LakeSchema schema, string idColumn, IReadOnlyList<object?[]> upserts, IReadOnlyList<string> deleted,
        IReadOnlyList<string> filteredOut, JsonObject commitInfo, CancellationToken cancellationToken)
    {
        var writer = new DeltaAppendWriter(storage, schema, time);
        int id = schema.Fields.ToList().FindIndex(f => f.Name == idColumn);
        var upserted = upserts.Select(r => (string)r[id]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var deletedInDataverse = deleted.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var gone = deleted.Concat(filteredOut).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest, cancellationToken);
        var added = new List<DataFile>();
        var removed = new List<string>();
        var changes = new List<object?[]>();
        var existed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long deletedFound = 0;
        var ids = table.Columns.Single(c => c.Name == idColumn);
        foreach (var file in table.Files)
        {
            // Ids first: most files hold none of the changed records, and their other columns need not be read.
            var one = table with { Files = [file] };
            if (!await HoldsAnyAsync(one, ids, upserted, gone, cancellationToken))
            {
                continue;
            }

            var rows = await ReadFileAsync(one, schema, cancellationToken);
            var kept = rows.Where(r => r[id] is not string key || !upserted.Contains(key) && !gone.Contains(key)).ToList();
            foreach (var row in rows.Where(r => r[id] is string key && (upserted.Contains(key) || gone.Contains(key))))
            {
                string key = (string)row[id]!;
                bool update = upserted.Contains(key);
                if (update)
                {
                    existed.Add(key);
                }
                else if (deletedInDataverse.Contains(key))
                {
                    deletedFound++;
                }

                changes.Add([.. row, update ? "update_preimage" : "delete"]);
            }

            removed.Add(file.Path);
            added.AddRange(await WriteAsync(writer, kept, cancellationToken));
        }

        added.AddRange(await WriteAsync(writer, upserts, cancellationToken));
        changes.AddRange(upserts.Select(r => (object?[])[.. r, existed.Contains((string)r[id]!) ? "update_postimage" : "insert"]));
        long updated = upserts.Count(r => existed.Contains((string)r[id]!));
        var changeFiles = await WriteChangesAsync(schema, changes, cancellationToken);
        long version = await CommitAsync(writer, state, added, removed, commitInfo, newSchema: false, cancellationToken, changeFiles);
        return new AppliedChanges(version, upserts.Count - updated, updated, deletedFound, deletedInDataverse.Count - deletedFound, added.Count, removed.Count);
    }

    /// <summary>
    /// The run's Change Data Feed (<c>_change_data/</c>): each row as it was before an update or a delete, as it is after
    /// an update, and each insert, with <c>_change_type</c> — so a reader of the feed sees the changes, not the rewritten files.
    /// </summary>
    private async Task<List<JsonObject>> WriteChangesAsync(LakeSchema schema, IReadOnlyList<object?[]> changes, CancellationToken cancellationToken)
    {
        var feed = new DeltaAppendWriter(storage, new LakeSchema([.. schema.Fields,
            new LakeField(ChangeColumns.ChangeType, LakeDataType.Primitive(LakeTypeKind.String))]), time);
        var actions = new List<JsonObject>();
        foreach (var chunk in changes.Chunk(RowsPerFile))
        {
            var file = await feed.WriteFileAsync($"_change_data/cdc-{Guid.NewGuid():N}.snappy.parquet", chunk, cancellationToken);
            actions.Add(new JsonObject { ["cdc"] = new JsonObject { ["path"] = file.Path, ["partitionValues"] = new JsonObject(), ["size"] = file.Size,
                ["dataChange"] = false } });
        }

        return actions;
    }

    private async Task<long> CommitAsync(
        DeltaAppendWriter writer, IngestState state, List<DataFile> added, IReadOnlyList<string> removed, JsonObject commitInfo, bool newSchema,
        CancellationToken cancellationToken, IReadOnlyList<JsonObject>? changeFiles = null)
    {
        long version = state.Version is { } read ? read + 1 : 0;
        var txn = new JsonObject
        {
            ["txn"] = new JsonObject { ["appId"] = $"empower-ingest:{(string)commitInfo["job"]!}", ["version"] = (long)commitInfo["sequence"]!,
                ["lastUpdated"] = time.GetUtcNow().ToUnixTimeMilliseconds() },
        };
        bool committed = await writer.TryCommitAsync(
            version, added, removed, newSchema ? "CREATE OR REPLACE TABLE" : "MERGE", new JsonObject { ["empowerIngest"] = commitInfo.DeepClone() },
            [txn, .. changeFiles ?? []], Properties, newSchema, cancellationToken);
        return committed ? version
            : throw new IngestConflictException(
                $"Another run of the ingest job '{(string)commitInfo["job"]!}' committed version {version} of {storage.Describe("")} first; this run's " +
                    $"changes are not in the table, and the next run reads on from that run's delta link.");
    }

    private static async Task<List<DataFile>> WriteAsync(DeltaAppendWriter writer, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        var files = new List<DataFile>();
        foreach (var chunk in rows.Chunk(RowsPerFile))
        {
            files.Add(await writer.WritePartAsync(chunk, cancellationToken));
        }

        return files;
    }

    private async Task<bool> HoldsAnyAsync(LakeTable file, LakeColumn ids, HashSet<string> upserted, HashSet<string> gone, CancellationToken cancellationToken)
    {
        await foreach (var batch in new LakeTableReader(storage, file, columns: [ids]).ReadAllAsync(cancellationToken))
        {
            var vector = batch[ids.Name];
            for (int r = 0; r < batch.RowCount; r++)
            {
                if (vector.GetValue(r) is string key && (upserted.Contains(key) || gone.Contains(key)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private async Task<List<object?[]>> ReadFileAsync(LakeTable table, LakeSchema schema, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await foreach (var batch in new LakeTableReader(storage, table).ReadAllAsync(cancellationToken))
        {
            var columns = schema.Fields.Select(f => batch.Columns.FirstOrDefault(c => c.Column.Name == f.Name)).ToList();
            for (int r = 0; r < batch.RowCount; r++)
            {
                rows.Add([.. columns.Select(c => c?.GetValue(r))]);
            }
        }

        return rows;
    }
}
