namespace Empower.Sync.Dataverse.Writing;

/// <summary>Every row's outcome, in the order given, with counts that add up to the rows sent.</summary>
internal sealed record WriteResult(IReadOnlyList<RecordResult> Records)
{
    public int Count(RecordOutcome outcome) => Records.Count(r => r.Outcome == outcome);

    public DateTimeOffset? EarliestRetry => Records.Where(r => r.Outcome == RecordOutcome.Deferred).Select(r => r.RetryAt).Min();
}
