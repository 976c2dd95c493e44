using Empower.Dataverse.Emulator.Options;
using Empower.Dataverse.Emulator.Protocol;

namespace Empower.Dataverse.Emulator.Tests.Protocol;

/// <summary>
/// The cost model's bulk economics per table type, as https://learn.microsoft.com/power-apps/developer/data-platform/bulk-operations
/// ("Number of records") describes them: standard tables gain from more records per request, elastic tables not past 100.
/// </summary>
public sealed class OperationCostTests
{
    private static readonly CostOptions Standard = new() { RequestOverheadMs = 10, CreatePerRecordMs = 1 };
    private static readonly CostOptions Elastic = new() { RequestOverheadMs = 10, CreatePerRecordMs = 1, TableType = CostTableType.Elastic };

    [Theory]
    [InlineData(1, 11, 11)]
    [InlineData(100, 110, 110)]
    [InlineData(101, 111, 121)]
    [InlineData(1000, 1010, 1100)]
    public void A_bulk_request_pays_one_overhead_on_standard_tables_and_one_per_100_records_on_elastic_ones(int records, double standard, double elastic)
    {
        var cost = new OperationCost { Operations = 1, Created = records, BulkTargets = records };

        Assert.Equal((standard, elastic), (cost.Milliseconds(Standard), cost.Milliseconds(Elastic)));
    }

    [Fact]
    public void Requests_that_are_not_bulk_cost_the_same_on_both()
    {
        var batch = new OperationCost { Operations = 5, Created = 5 };

        Assert.Equal(55, batch.Milliseconds(Standard));
        Assert.Equal(55, batch.Milliseconds(Elastic));
    }
}
