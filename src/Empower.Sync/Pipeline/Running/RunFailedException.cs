namespace Empower.Sync.Pipeline.Running;

/// <summary>A run that failed as a whole after Finalize recorded it; the message is the error and where the report is.</summary>
internal sealed class RunFailedException(string message) : Exception(message);
