namespace Empower.Sync.Pipeline.Starting;

public enum StartStatus
{
    Started,
    AlreadyRunning,
    UnknownJob,
    InvalidJob,
}

/// <summary>What happened to a start request; <see cref="InstanceId"/> is the job's orchestration instance.</summary>
public sealed record StartResult(StartStatus Status, string Job, string InstanceId, string? RunId = null, IReadOnlyList<string>? Problems = null);
