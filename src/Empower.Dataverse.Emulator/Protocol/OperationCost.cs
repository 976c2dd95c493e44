namespace Empower.Dataverse.Emulator.Protocol;

/// <summary>Records touched by an operation: what the cost model charges for.</summary>
public sealed class OperationCost
{
    private const int ElasticChunk = 100;

    /// <summary>Operations dispatched: 1 for a plain request, one per inner request of a <c>$batch</c>.</summary>
    public int Operations { get; set; }

    public int Created { get; set; }
    public int Updated { get; set; }
    public int Deleted { get; set; }
    public int Read { get; set; }

    /// <summary>Targets of bulk actions (CreateMultiple, UpdateMultiple, UpsertMultiple).</summary>
    public int BulkTargets { get; set; }

    /// <summary>
    /// The modelled server time: overhead per operation plus the per-record cost of what was touched; on elastic tables a bulk action
    /// pays the overhead again for every 100 targets past the first 100.
    /// </summary>
    public double Milliseconds(Options.CostOptions model)
    {
        int extraChunks = model.TableType == Options.CostTableType.Elastic ? Math.Max(0, ((BulkTargets + ElasticChunk - 1) / ElasticChunk) - 1) : 0;
        return (model.RequestOverheadMs * (Math.Max(1, Operations) + extraChunks)) + (model.CreatePerRecordMs * Created)
            + (model.UpdatePerRecordMs * Updated) + (model.DeletePerRecordMs * Deleted) + (model.ReadPerRecordMs * Read);
    }

}
