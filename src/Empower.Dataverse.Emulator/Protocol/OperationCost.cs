namespace Empower.Dataverse.Emulator.Protocol;

/// <summary>Records touched by an operation: what the cost model charges for.</summary>
public sealed class OperationCost
{
    /// <summary>Operations dispatched: 1 for a plain request, one per inner request of a <c>$batch</c>.</summary>
    public int Operations { get; set; }

    public int Created { get; set; }
    public int Updated { get; set; }
    public int Deleted { get; set; }
    public int Read { get; set; }

    /// <summary>The modelled server time: overhead per operation plus the per-record cost of what was touched.</summary>
    public double Milliseconds(Options.CostOptions model) =>
        (model.RequestOverheadMs * Math.Max(1, Operations)) + (model.CreatePerRecordMs * Created) + (model.UpdatePerRecordMs * Updated)
        + (model.DeletePerRecordMs * Deleted) + (model.ReadPerRecordMs * Read);
}
