using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Lake.Writing;
using Empower.Sync.Mapping;

namespace Empower.Sync.ChangeDetection;

/// <summary>
/// A job's published state (change detection <c>lake-state</c>): a Delta table of key → hash of the values Dataverse
/// last accepted. Publish tries stage data files under <c>staged/&lt;run id&gt;/</c> for the rows Dataverse accepted;
/// only Finalize commits them, so an interrupted or failed run never marks unsent rows as published. Later versions
/// win for a key; when the table has many files, Finalize rewrites it (<see cref="StateCompaction"/>).
/// </summary>
public sealed class PublishedStateTable(ILakeStorage storage, TimeProvider time, KeyCollation collation)
{
    public static readonly LakeSchema Schema = new(
    [
        new LakeField("key", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("hash", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("key_values", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("deleted", LakeDataType.Primitive(LakeTypeKind.Boolean)),
        new LakeField("run_id", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("published_at", LakeDataType.Primitive(LakeTypeKind.Timestamp)),
    ]);

    public ILakeStorage Storage => storage;

    /// <summary>How keys compare: as the target org compares them, so one record's entries meet whatever case or accents a run used.</summary>
    public KeyCollation Collation => collation;

    public static string StagedFolder(string runId) => $"staged/{runId}/";

    /// <summary>The state table's latest version, or null when the job has none yet.</summary>
    public async Task<long?> VersionAsync(CancellationToken cancellationToken = default) =>
        await DeltaTable.ExistsAsync(storage, cancellationToken) ? (await DeltaTable.OpenAsync(storage, cancellationToken)).LatestVersion : null;

    internal async Task<PublishedState> LoadAsync(long? version, CancellationToken cancellationToken = default)
    {
        if (version is null)
        {
            return PublishedState.Empty(collation);
        }

        var hashes = new Dictionary<UInt128, UInt128>();
        await foreach (var entry in ReadAsync(version.Value, withDetails: false, cancellationToken))
        {
            if (entry.Deleted)
            {
                hashes.Remove(RowHash.OfKey(entry.Key, collation));
            }
            else
            {
                hashes[RowHash.OfKey(entry.Key, collation)] = RowHash.Parse(entry.Hash);
            }
        }

        return new PublishedState(version, hashes, collation);
    }

    /// <summary>The keys published and not deleted as of <paramref name="version"/>, with their key values and the run that last published each.</summary>
    internal async Task<IReadOnlyCollection<StateEntry>> LiveAsync(long? version, CancellationToken cancellationToken = default)
    {
        var live = new Dictionary<string, StateEntry>(RecordKey.ComparerFor(collation));
        if (version is not null)
        {
            await foreach (var entry in ReadAsync(version.Value, withDetails: true, cancellationToken))
            {
                if (entry.Deleted)
                {
                    live.Remove(entry.Key);
                }
                else
                {
                    live[entry.Key] = entry;
                }
            }
        }

        return live.Values;
    }

    /// <summary>
    /// The live entries, with their key values, of the published keys <paramref name="held"/> does not hold: one pass
    /// that keeps only those, so memory grows with them and not with the state (whose key hashes <paramref name="state"/> holds).
    /// </summary>
    internal async Task<IReadOnlyList<StateEntry>> GoneAsync(PublishedState state, IReadOnlySet<UInt128> held, CancellationToken cancellationToken = default)
    {
        if (state.Version is not { } version)
        {
            return [];
        }

        var gone = state.KeysNotIn(held);
        var entries = new Dictionary<UInt128, StateEntry>();
        if (gone.Count > 0)
        {
            await foreach (var entry in ReadAsync(version, withDetails: true, cancellationToken))
            {
                var key = RowHash.OfKey(entry.Key, collation);
                if (gone.Contains(key))
                {
                    entries[key] = entry;
                }
            }
        }

        return [.. entries.Values];
    }

    /// <summary>Writes the entries of one publish try as a staged data file (a unique name: a re-executed try adds another).</summary>
    internal async Task StageAsync(string runId, int partition, int attempt, IReadOnlyList<StateEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        await Writer.WriteFileAsync(
            $"{StagedFolder(runId)}p{partition:D5}-a{attempt:D3}-{Guid.NewGuid():N}.snappy.parquet",
            [.. entries.Select(e => StateEntries.Row(e, runId, now))],
            cancellationToken);
    }

    /// <summary>
    /// Commits the run's staged files in one version (compacting after when the table has grown many files); with
    /// <paramref name="replace"/> the same version removes every earlier file, so only this run's entries remain.
    /// Returns the entries committed.
    /// </summary>
    public async Task<long> CommitStagedAsync(string runId, bool replace = false, CancellationToken cancellationToken = default)
    {
        var staged = new List<DataFile>();
        await foreach (var file in storage.ListAsync(StagedFolder(runId), cancellationToken))
        {
            staged.Add(new DataFile(file.Path, file.Size, (await ParquetRowCountAsync(file.Path, cancellationToken))));
        }

        var removed = replace && await DeltaTable.ExistsAsync(storage, cancellationToken)
            ? (await LakeTableOpener.OpenAsync(storage, TableRequest.Latest, cancellationToken)).Files.Select(f => f.Path).ToList()
            : [];
        if (staged.Count == 0 && removed.Count == 0)
        {
            return 0;
        }

        await Writer.CommitAsync(staged, removed, replace ? "REPLACE" : "PUBLISHED", cancellationToken);
        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest, cancellationToken);
        if (StateCompaction.IsDue(table))
        {
            await new StateCompaction(storage, Writer, time, collation).CompactAsync(table, cancellationToken);
        }

        return staged.Sum(f => f.Rows);
    }

    /// <summary>
    /// Commits what earlier runs staged and never committed because they did not finalise (the process was killed):
    /// Dataverse confirmed those rows, so the next run must not send them again. A run is skipped when
    /// <paramref name="finalised"/> says its Finalize ran (it committed its own files), a file when the table already
    /// holds it or its Parquet footer cannot be read (written only in part). Returns the files adopted.
    /// </summary>
    public async Task<int> AdoptOrphansAsync(string currentRunId, Func<string, CancellationToken, Task<bool>> finalised,
        CancellationToken cancellationToken = default)
    {
        var orphans = new List<LakeFile>();
        var over = new Dictionary<string, bool>(StringComparer.Ordinal);
        await foreach (var file in storage.ListAsync("staged/", cancellationToken))
        {
            var parts = file.Path.Split('/');
            if (parts.Length != 3 || parts[1] == currentRunId || !file.Path.EndsWith(".parquet", StringComparison.Ordinal))
            {
                continue;
            }

            if (!over.TryGetValue(parts[1], out bool isFinalised))
            {
                over[parts[1]] = isFinalised = await finalised(parts[1], cancellationToken);
            }

            if (!isFinalised)
            {
                orphans.Add(file);
            }
        }

        if (orphans.Count == 0)
        {
            return 0;
        }

        var committed = await DeltaTable.ExistsAsync(storage, cancellationToken)
            ? (await LakeTableOpener.OpenAsync(storage, TableRequest.Latest, cancellationToken)).Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal)
            : [];
        var adopt = new List<DataFile>();
        foreach (var file in orphans.Where(f => !committed.Contains(f.Path)))
        {
            try
            {
                adopt.Add(new DataFile(file.Path, file.Size, await ParquetRowCountAsync(file.Path, cancellationToken)));
            }
            catch (Lake.LakeFormatException ex) when (ex.Kind == Lake.LakeErrorKind.CorruptDataFile)
            {
                // Cut short by the kill: its rows were never recorded, and the next run sends them again.
            }
        }

        if (adopt.Count > 0)
        {
            await Writer.CommitAsync(adopt, [], "ADOPTED", cancellationToken);
        }

        return adopt.Count;
    }

    /// <summary>Every entry as of <paramref name="version"/>, oldest file first, so later entries override earlier ones.</summary>
    private async IAsyncEnumerable<StateEntry> ReadAsync(long version, bool withDetails,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await LakeTableOpener.OpenAsync(storage, new TableRequest(version), cancellationToken);
        await foreach (var entry in StateEntries.ReadAsync(storage, table, withDetails, cancellationToken))
        {
            yield return entry;
        }
    }

    private async Task<long> ParquetRowCountAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = await Lake.Parquet.ParquetFile.OpenAsync(storage, path, cancellationToken);
        return file.RowCount;
    }

    private DeltaAppendWriter Writer => new(storage, Schema, time);
}
