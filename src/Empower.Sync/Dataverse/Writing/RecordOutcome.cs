namespace Empower.Sync.Dataverse.Writing;

internal enum RecordOutcome
{
    Written,

    /// <summary>Insert found the record already there with its deterministic id (an earlier try or run created it).</summary>
    AlreadyExisted,

    Failed,

    /// <summary>Not sent: every principal was throttled past the wait limit, or the retry budget ran out; try again after <c>RetryAt</c>.</summary>
    Deferred,
}
