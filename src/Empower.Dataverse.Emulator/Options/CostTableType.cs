namespace Empower.Dataverse.Emulator.Options;

/// <summary>
/// The table storage whose bulk-request economics the cost model follows
/// (https://learn.microsoft.com/power-apps/developer/data-platform/bulk-operations).
/// </summary>
public enum CostTableType
{
    /// <summary>Azure SQL: a bulk request's overhead is paid once, so larger requests cost less per record.</summary>
    Standard,

    /// <summary>Azure Cosmos DB: no gain past 100 records per request; send 100 at a time, in parallel.</summary>
    Elastic,
}
