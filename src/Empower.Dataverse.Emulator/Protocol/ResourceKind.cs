namespace Empower.Dataverse.Emulator.Protocol;

public enum ResourceKind
{
    Batch,
    WhoAmI,
    EntityDefinitions,
    EntitySet,
    Entity,
    BoundAction,
}
