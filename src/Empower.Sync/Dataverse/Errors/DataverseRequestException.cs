namespace Empower.Sync.Dataverse.Errors;

/// <summary>A request Dataverse refuses for a reason no retry fixes (unknown table, wrong URL, missing metadata).</summary>
internal sealed class DataverseRequestException(string message, DataverseError? error = null) : Exception(message)
{
    public DataverseError? Error { get; } = error;
}
