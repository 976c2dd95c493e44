using Empower.Sync.ChangeDetection;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Mapping;

namespace Empower.Sync.FailedRows;

/// <summary>
/// Which failed rows were since written: a row is resolved when another run (a later sync, a replay) published its key
/// after it failed, as the job's published state records. Only <c>lake-state</c> jobs keep that state.
/// </summary>
public sealed class FailedRowResolution
{
    private readonly Dictionary<string, StateEntry> _live;

    private FailedRowResolution(IEnumerable<StateEntry> live, KeyCollation collation) =>
        _live = live.ToDictionary(e => e.Key, RecordKey.ComparerFor(collation));

    public static async Task<FailedRowResolution> LoadAsync(PublishedStateTable state, CancellationToken cancellationToken = default) =>
        new(await state.LiveAsync(await state.VersionAsync(cancellationToken), cancellationToken), state.Collation);

    /// <summary>The run that wrote <paramref name="row"/>'s key after it failed, or null while it is still unresolved.</summary>
    public string? ResolvedBy(FailedRow row) =>
        row.RowKey is { } key && _live.TryGetValue(key, out var entry) && entry.RunId is { } run && run != row.RunId && entry.PublishedAt > row.FailedAt
            ? run
            : null;
}
