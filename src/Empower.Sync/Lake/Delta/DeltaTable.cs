using Empower.Sync.Lake.Delta.Actions;
using Empower.Sync.Lake.Delta.Features;
using Empower.Sync.Lake.Delta.Log;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Lake.Delta;

/// <summary>
/// A Delta table's log: replays commits (from the newest usable checkpoint) into snapshots, travels to a version or a
/// timestamp, and lists the changes between two versions.
/// </summary>
internal sealed class DeltaTable
{
    private readonly ILakeStorage _storage;
    private readonly LogListing _listing;

    private DeltaTable(ILakeStorage storage, LogListing listing)
    {
        _storage = storage;
        _listing = listing;
    }

    /// <summary>The table's location, for messages.</summary>
    public string Name => _storage.Describe("");

    public long LatestVersion => _listing.LatestVersion;

    public static async Task<bool> ExistsAsync(ILakeStorage storage, CancellationToken cancellationToken)
    {
        await foreach (var _ in storage.ListAsync(LogListing.LogFolder, cancellationToken))
        {
            return true;
        }

        return false;
    }

    public static async Task<DeltaTable> OpenAsync(ILakeStorage storage, CancellationToken cancellationToken)
    {
        var listing = await LogListing.ReadAsync(storage, cancellationToken);
        if (listing.IsEmpty)
        {
            throw new LakeFormatException(LakeErrorKind.NotADeltaTable,
                $"{storage.Describe(LogListing.LogFolder)} holds no commits or checkpoints; {storage.Describe("")} is not a Delta table.");
        }

        return new DeltaTable(storage, listing);
    }

    /// <summary>The table at <paramref name="version"/> (the latest when null).</summary>
    public async Task<DeltaSnapshot> SnapshotAsync(long? version = null, CancellationToken cancellationToken = default)
    {
        long target = version ?? LatestVersion;
        if (target < 0 || target > LatestVersion)
        {
            throw new LakeFormatException(LakeErrorKind.VersionNotFound,
                $"The Delta table {Name} has no version {target}; its versions go up to {LatestVersion}.");
        }

        var checkpoint = await StartingCheckpointAsync(target, cancellationToken);
        long firstCommit = checkpoint is null ? 0 : checkpoint.Version + 1;
        EnsureCommitsPresent(firstCommit, target, checkpoint);

        var files = new Dictionary<FileKey, AddFile>();
        DeltaProtocol? protocol = null;
        DeltaMetadata? metadata = null;
        var transactions = new Dictionary<string, SetTransaction>(StringComparer.Ordinal);
        if (checkpoint is not null)
        {
            Apply(await CheckpointReader.ReadAsync(_storage, checkpoint, cancellationToken), files, transactions, ref protocol, ref metadata);
        }

        DateTimeOffset? timestamp = null;
        for (long v = firstCommit; v <= target; v++)
        {
            var actions = await CommitReader.ReadAsync(_storage, _listing.Commits[v].Path, cancellationToken);
            Apply(actions, files, transactions, ref protocol, ref metadata);
            timestamp = CommitTimestamp(actions, _listing.Commits[v]);
        }

        if (protocol is null || metadata is null)
        {
            throw new LakeFormatException(LakeErrorKind.CorruptCommit,
                $"The Delta table {Name} has no {(protocol is null ? "protocol" : "metaData")} action up to version {target}; its log is corrupt.");
        }

        TableFeatureCheck.EnsureReadable(protocol, metadata, Name);
        var schema = DeltaSchemaParser.Parse(metadata.SchemaString, $"{Name} (version {target})");
        // In the order the files were written, so "the last row of a key" follows the table's history.
        var active = files.Values.OrderBy(f => f.ModificationTime).ThenBy(f => f.Path, StringComparer.Ordinal).ToList();
        return new DeltaSnapshot(Name, target, protocol, metadata, schema, active, timestamp, transactions);
    }

    /// <summary>The latest version committed at or before <paramref name="timestamp"/> (commitInfo time, else the commit file's time).</summary>
    public async Task<DeltaSnapshot> SnapshotAtAsync(DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        long? found = null;
        foreach (var (version, file) in _listing.Commits)
        {
            var actions = await CommitReader.ReadAsync(_storage, file.Path, cancellationToken);
            if (CommitTimestamp(actions, file) <= timestamp)
            {
                found = version;
            }
        }

        return found is { } v
            ? await SnapshotAsync(v, cancellationToken)
            : throw new LakeFormatException(LakeErrorKind.VersionNotFound, $"The Delta table {Name} has no version committed at or before {timestamp:O}.");
    }

    /// <summary>The commits after <paramref name="fromVersion"/> up to <paramref name="toVersion"/>, one entry per version.</summary>
    public async Task<IReadOnlyList<DeltaVersionChanges>> ChangesAsync(long fromVersion, long? toVersion = null, CancellationToken cancellationToken = default)
    {
        long last = toVersion ?? LatestVersion;
        if (last > LatestVersion || fromVersion > last)
        {
            throw new LakeFormatException(LakeErrorKind.VersionNotFound,
                $"The Delta table {Name} has no versions between {fromVersion} and {last}; its latest version is {LatestVersion}.");
        }

        var changes = new List<DeltaVersionChanges>();
        for (long v = fromVersion + 1; v <= last; v++)
        {
            if (!_listing.Commits.TryGetValue(v, out var file))
            {
                throw new LakeFormatException(
                    LakeErrorKind.MissingCommit,
                    $"The commit for version {v} of {Name} ({_storage.Describe($"{LogListing.LogFolder}{v:D20}.json")}) is missing (cleaned up or never " +
                        $"written); the changes since version {fromVersion} cannot be read. Run a full read instead.");
            }

            var actions = await CommitReader.ReadAsync(_storage, file.Path, cancellationToken);
            var commitInfo = actions.OfType<CommitInfo>().FirstOrDefault();
            changes.Add(new DeltaVersionChanges(
                v,
                CommitTimestamp(actions, file),
                commitInfo?.Operation,
                actions.OfType<AddFile>().ToList(),
                actions.OfType<RemoveFile>().ToList(),
                actions.OfType<CdcFile>().ToList(),
                actions.OfType<DeltaMetadata>().LastOrDefault()));
        }

        return changes;
    }

    private async Task<CheckpointFiles?> StartingCheckpointAsync(long target, CancellationToken cancellationToken)
    {
        var hint = await LastCheckpoint.TryReadAsync(_storage, cancellationToken);
        if (hint is not null && hint.Version <= target && _listing.Checkpoints.TryGetValue(hint.Version, out var hinted)
            && (hint.Parts is null || hint.Parts == hinted.Parts.Count) && _listing.Checkpoints.Keys.Where(k => k <= target).Max() == hint.Version)
        {
            return hinted;
        }

        return _listing.Checkpoints.Where(c => c.Key <= target).Select(c => c.Value).LastOrDefault();
    }

    private void EnsureCommitsPresent(long first, long target, CheckpointFiles? checkpoint)
    {
        for (long v = first; v <= target; v++)
        {
            if (!_listing.Commits.ContainsKey(v))
            {
                string reason = checkpoint is null && v == 0 && _listing.Commits.Count > 0
                    ? $"the log before version {_listing.Commits.Keys.Min()} was cleaned up and no checkpoint at or before version {target} remains"
                    : "the commit file is missing";
                throw new LakeFormatException(
                    LakeErrorKind.MissingCommit,
                    $"Version {target} of the Delta table {Name} cannot be reconstructed: {reason} " +
                        $"({_storage.Describe($"{LogListing.LogFolder}{v:D20}.json")}).");
            }
        }
    }

    private static void Apply(
        IEnumerable<DeltaAction> actions, Dictionary<FileKey, AddFile> files, Dictionary<string, SetTransaction> transactions,
        ref DeltaProtocol? protocol, ref DeltaMetadata? metadata)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case AddFile add:
                    files[add.Key] = add;
                    break;
                case RemoveFile remove:
                    files.Remove(remove.Key);
                    break;
                case DeltaProtocol p:
                    protocol = p;
                    break;
                case DeltaMetadata m:
                    metadata = m;
                    break;
                case SetTransaction t:
                    transactions[t.AppId] = t;
                    break;
            }
        }
    }

    private static DateTimeOffset CommitTimestamp(IReadOnlyList<DeltaAction> actions, LakeFile file) =>
        actions.OfType<CommitInfo>().FirstOrDefault()?.Timestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : file.LastModified;
}
