namespace Empower.Sync.Pipeline.Starting;

public enum StartStatus
{
    Started,
    AlreadyRunning,

    /// <summary>A new commit reached a running run: it continues as a new run when it finishes.</summary>
    QueuedAfterRun,
    UnknownJob,
    InvalidJob,

    /// <summary>The run id asked for is not one (<see cref="Contracts.RunIds.Problem"/>); nothing was started.</summary>
    InvalidRunId,
}

/// <summary>What happened to a start request; <see cref="InstanceId"/> is the job's orchestration instance.</summary>
public sealed record StartResult(StartStatus Status, string Job, string InstanceId, string? RunId = null, IReadOnlyList<string>? Problems = null);
