namespace Empower.Dataverse.Emulator.Protocol;

public enum ResourceKind
{
    Batch,
    WhoAmI,
    EntityDefinitions,
    EntitySet,
    Entity,
    BoundAction,

    /// <summary><c>accounts/$count</c>: the number of records, as text.</summary>
    Count,
}
