using Empower.Dataverse.Emulator.Store;

namespace Empower.Dataverse.Emulator.Stats;

/// <summary>Committed record counts per table and request outcomes, for <c>/_emulator/stats</c>.</summary>
public sealed class EmulatorStats
{
    private readonly Lock _gate = new();
    private readonly TableCounts _committed = new();
    private readonly Dictionary<string, long> _duplicateKeyRejections = new(StringComparer.Ordinal);
    private readonly Dictionary<int, long> _statuses = [];
    private long _unauthorized;

    public void Committed(TableCounts counts)
    {
        lock (_gate)
        {
            _committed.AddAll(counts);
        }
    }

    public void Responded(int status)
    {
        lock (_gate)
        {
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
            if (status == 401)
            {
                _unauthorized++;
            }
        }
    }

    /// <summary>A write was refused because its primary id or alternate key already belongs to a record.</summary>
    public void DuplicateKeyRejected(string entitySet)
    {
        lock (_gate)
        {
            _duplicateKeyRejections[entitySet] = _duplicateKeyRejections.GetValueOrDefault(entitySet) + 1;
        }
    }

    public (IReadOnlyDictionary<string, (long Created, long Updated, long Deleted)> Tables, IReadOnlyDictionary<string, long> DuplicateKeyRejections,
        IReadOnlyDictionary<int, long> Statuses, long Unauthorized, IReadOnlyDictionary<string, Dictionary<string, long>> UpdatedAttributes) Snapshot()
    {
        lock (_gate)
        {
            return (_committed.ByTable.ToDictionary(), _duplicateKeyRejections.ToDictionary(), _statuses.ToDictionary(), _unauthorized,
                _committed.UpdatedAttributes.ToDictionary(t => t.Key, t => new Dictionary<string, long>(t.Value, StringComparer.Ordinal)));
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _committed.Clear();
            _duplicateKeyRejections.Clear();
            _statuses.Clear();
            _unauthorized = 0;
        }
    }
}
