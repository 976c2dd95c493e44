namespace Empower.Sync.Dataverse.Writing;

internal enum WriteMode
{
    /// <summary>Create records (CreateMultiple) with deterministic ids, so a retried create never makes a second record.</summary>
    Insert,

    /// <summary>Create or update (UpsertMultiple), matched on an alternate key or the primary id.</summary>
    Upsert,
}
