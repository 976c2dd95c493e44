using Empower.Sync.ChangeDetection;

namespace Empower.Sync.Pipeline.Publishing.Changes;

/// <summary>
/// <c>changeDetection: lake-state</c>: a row whose key and values hash as the published state holds them is unchanged.
/// Prepare already compared the rows it hashed; this compares the others (with <c>duplicates: fail</c>).
/// </summary>
internal sealed class PublishedStateFilter(PublishedState state) : ChangeFilter
{
    public override Task<IReadOnlyList<RowToSend>> ChangedAsync(IReadOnlyList<PreparedRow> rows, bool byId, CancellationToken cancellationToken)
    {
        var send = new List<RowToSend>(rows.Count);
        foreach (var row in rows)
        {
            var hash = row.Hash ?? RowHash.Of(row.Record);
            if (!state.IsUnchanged(row.Key, hash))
            {
                send.Add(new RowToSend(row, row.Record, hash));
            }
        }

        return Task.FromResult<IReadOnlyList<RowToSend>>(send);
    }
}
