namespace Empower.Sync.Dataverse.Writing;

/// <summary>What happens to a record whose row was deleted in the lake.</summary>
internal enum RemoveMode
{
    Delete,

    /// <summary>Set <c>statecode</c> 1 / <c>statuscode</c> 2 (inactive) on the existing record; never creates one.</summary>
    Deactivate,
}
