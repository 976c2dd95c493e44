namespace Empower.Sync.Pipeline.Publishing.Changes;

/// <summary><c>changeDetection: none</c>: every row is sent.</summary>
internal sealed class SendEveryRow : ChangeFilter
{
    public override Task<IReadOnlyList<RowToSend>> ChangedAsync(IReadOnlyList<PreparedRow> rows, bool byId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RowToSend>>([.. rows.Select(r => new RowToSend(r, r.Record, default))]);
}
