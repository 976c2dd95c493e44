using System.ComponentModel.DataAnnotations;

namespace Empower.Dataverse.Emulator.Options;

/// <summary>
/// Server-cost model: each request is delayed (asynchronously) by overhead + per-record cost, and that modelled time is
/// charged to the principal's execution-time budget, so throughput has a ceiling like a real org's.
/// </summary>
public sealed class CostOptions
{
    [Range(0, 60_000)]
    public double RequestOverheadMs { get; set; } = EmulatorDefaults.RequestOverheadMs;

    [Range(0, 60_000)]
    public double CreatePerRecordMs { get; set; } = EmulatorDefaults.CreatePerRecordMs;

    [Range(0, 60_000)]
    public double UpdatePerRecordMs { get; set; } = EmulatorDefaults.UpdatePerRecordMs;

    [Range(0, 60_000)]
    public double DeletePerRecordMs { get; set; } = EmulatorDefaults.DeletePerRecordMs;

    [Range(0, 60_000)]
    public double ReadPerRecordMs { get; set; } = EmulatorDefaults.ReadPerRecordMs;
}
