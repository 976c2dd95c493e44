namespace Empower.Sync.FailedRows;

/// <summary>
/// Where a row failed: mapping/validation, Dataverse's answer, too many deferrals under throttling, or its file could
/// not be read.
/// </summary>
public enum FailureStage
{
    Prepare,
    Publish,
    Deferral,
    Read,
}
