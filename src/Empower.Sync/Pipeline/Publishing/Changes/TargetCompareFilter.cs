using Empower.Sync.ChangeDetection;

namespace Empower.Sync.Pipeline.Publishing.Changes;

/// <summary>
/// <c>changeDetection: target-compare</c>: the window's records are read from Dataverse; a record that holds every
/// value already is unchanged, the others are sent with just what differs. When Dataverse cannot be read, whole rows
/// are sent rather than guessed.
/// </summary>
internal sealed class TargetCompareFilter(TargetComparer comparer) : ChangeFilter
{
    public override async Task<IReadOnlyList<RowToSend>> ChangedAsync(IReadOnlyList<PreparedRow> rows, bool byId, CancellationToken cancellationToken)
    {
        var compared = await comparer.CompareAsync([.. rows.Select(r => r.Record)], byId, cancellationToken);
        var send = new List<RowToSend>(rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            if ((compared is null ? rows[i].Record : compared[i]) is { } record)
            {
                send.Add(new RowToSend(rows[i], record, default));
            }
        }

        return send;
    }
}
