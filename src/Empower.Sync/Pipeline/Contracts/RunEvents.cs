namespace Empower.Sync.Pipeline.Contracts;

/// <summary>The external events a run's orchestrations take, by name.</summary>
public static class RunEvents
{
    /// <summary>A newer Delta version was committed while the run was going: the run continues as a new run when it ends.</summary>
    public const string NewCommit = "NewCommit";

    /// <summary>The run is stopping: no new partition starts, and a partition waiting out a deferral stops waiting.</summary>
    public const string Stop = "Stop";
}
