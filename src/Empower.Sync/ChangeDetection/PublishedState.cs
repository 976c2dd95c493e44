using Empower.Sync.Dataverse.Configuration;

namespace Empower.Sync.ChangeDetection;

/// <summary>
/// What was last published for each key, as of one version of the state table, indexed by key hash (16 bytes a key
/// instead of the key's text: a million keys take about 40 MB).
/// </summary>
internal sealed class PublishedState(long? version, Dictionary<UInt128, UInt128> hashes, KeyCollation collation)
{
    public static PublishedState Empty(KeyCollation collation) => new(null, [], collation);

    /// <summary>The state table's version this was read at; null when the job has no state yet.</summary>
    public long? Version => version;

    public int Count => hashes.Count;

    /// <summary>Whether Dataverse already holds exactly these values for this key (as far as Empower published them).</summary>
    public bool IsUnchanged(string key, UInt128 hash) => IsUnchanged(RowHash.OfKey(key, collation), hash);

    /// <summary>The hashes of the published keys that <paramref name="held"/> does not hold.</summary>
    public HashSet<UInt128> KeysNotIn(IReadOnlySet<UInt128> held) => [.. hashes.Keys.Where(k => !held.Contains(k))];

    /// <summary>The same, by the key's <see cref="RowHash.OfKey"/>.</summary>
    public bool IsUnchanged(UInt128 keyHash, UInt128 hash) => hashes.TryGetValue(keyHash, out var published) && published == hash;
}
