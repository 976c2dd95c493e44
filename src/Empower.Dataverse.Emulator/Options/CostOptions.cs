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

    /// <summary>
    /// How bulk requests are charged. <see cref="CostTableType.Standard"/>: one overhead per request, however many records (Microsoft:
    /// bulk operations on standard tables grow more efficient with more records). <see cref="CostTableType.Elastic"/>: one overhead per
    /// started 100 records (Microsoft: on elastic tables there is no gain past 100 per request). See docs/emulator.md, "What the cost
    /// model is, and is not".
    /// </summary>
    public CostTableType TableType { get; set; } = CostTableType.Standard;

    [Range(0, 60_000)]
    public double CreatePerRecordMs { get; set; } = EmulatorDefaults.CreatePerRecordMs;

    [Range(0, 60_000)]
    public double UpdatePerRecordMs { get; set; } = EmulatorDefaults.UpdatePerRecordMs;

    [Range(0, 60_000)]
    public double DeletePerRecordMs { get; set; } = EmulatorDefaults.DeletePerRecordMs;

    [Range(0, 60_000)]
    public double ReadPerRecordMs { get; set; } = EmulatorDefaults.ReadPerRecordMs;
}
