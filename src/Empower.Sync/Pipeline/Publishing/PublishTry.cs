using Empower.Sync.Dataverse.Writing;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Publishing.Changes;
using Empower.Sync.Pipeline.Reporting;

namespace Empower.Sync.Pipeline.Publishing;

/// <summary>What one publish try of a partition did so far: its counts, its failed rows and the rows Dataverse deferred.</summary>
internal sealed class PublishTry(JobDefinition job, List<FailedRow> failed, Func<PreparedRow, RecordResult, FailedRow> publishFailure)
{
    private RowCounts _reported = RowCounts.Zero;

    public List<FailedRow> Failed => failed;

    public List<long> Deferred { get; } = [];

    public DateTimeOffset? RetryAt { get; private set; }

    public long Written { get; set; }

    public long Unchanged { get; set; }

    public long Superseded { get; set; }

    public long Deleted { get; set; }

    public long DeletesIgnored { get; set; }

    public long NotSent { get; set; }

    /// <summary>Adds what this try did since the last call to the live progress metric.</summary>
    public void ReportProgress()
    {
        var now = new RowCounts(0, Written, Unchanged, failed.Count, Superseded, Deleted, DeletesIgnored, NotSent);
        RunTelemetry.Progress(job, now - _reported);
        _reported = now;
    }

    /// <summary>Records a deferral or failure; true when Dataverse accepted the row.</summary>
    public bool Record(RecordResult result, PreparedRow row)
    {
        switch (result.Outcome)
        {
            case RecordOutcome.Written or RecordOutcome.AlreadyExisted:
                return true;
            case RecordOutcome.Deferred:
                Deferred.Add(result.RowId);
                RetryAt = RetryAt is null || result.RetryAt < RetryAt ? result.RetryAt : RetryAt;
                return false;
            default:
                failed.Add(publishFailure(row, result));
                return false;
        }
    }
}
