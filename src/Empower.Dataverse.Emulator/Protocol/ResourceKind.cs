namespace Empower.Dataverse.Emulator.Protocol;

public enum ResourceKind
{
    /// <summary>The service root: the entity sets, as an OData service document.</summary>
    ServiceDocument,

    /// <summary><c>$metadata</c>: the CSDL document describing every table.</summary>
    Metadata,
    Batch,
    WhoAmI,
    EntityDefinitions,
    EntitySet,
    Entity,
    BoundAction,

    /// <summary><c>accounts/$count</c>: the number of records, as text.</summary>
    Count,
}
