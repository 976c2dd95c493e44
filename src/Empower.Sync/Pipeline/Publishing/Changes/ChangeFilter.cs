using Empower.Sync.ChangeDetection;
using Empower.Sync.Dataverse.Reading;
using Empower.Sync.Dataverse.Writing;
using Empower.Sync.Jobs;
using Empower.Sync.Mapping;

namespace Empower.Sync.Pipeline.Publishing.Changes;

/// <summary>
/// The job's <c>changeDetection</c> for one window: which prepared rows to send, and as what record; the others are
/// unchanged. One type per mode.
/// </summary>
internal abstract class ChangeFilter
{
    public abstract Task<IReadOnlyList<RowToSend>> ChangedAsync(IReadOnlyList<PreparedRow> rows, bool byId, CancellationToken cancellationToken);

    public static ChangeFilter For(JobDefinition job, MappingPlan plan, PublishedState? state, RecordReader reader) => job.ChangeDetection switch
    {
        ChangeDetectionMode.LakeState when state is not null => new PublishedStateFilter(state),
        ChangeDetectionMode.TargetCompare => new TargetCompareFilter(new TargetComparer(plan, reader)),
        _ => new SendEveryRow(),
    };
}

/// <summary>A row to send: the prepared row, the record to send for it (target-compare sends only what differs), and its hash for the published
/// state.</summary>
internal readonly record struct RowToSend(PreparedRow Row, RecordToWrite Record, UInt128 Hash);
