namespace Empower.Sync.FailedRows;

/// <summary>Where a row failed: mapping/validation, Dataverse's answer, or too many deferrals under throttling.</summary>
public enum FailureStage
{
    Prepare,
    Publish,
    Deferral,
}
