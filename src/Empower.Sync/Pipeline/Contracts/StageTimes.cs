namespace Empower.Sync.Pipeline.Contracts;

/// <summary>When a run started, when publishing began, and when Finalize began, from the orchestration's replay-safe clock.</summary>
public sealed record StageTimes(DateTime Started, DateTime PublishStarted, DateTime FinalizeStarted)
{
    public TimeSpan Plan => PublishStarted - Started;

    public TimeSpan Publish => FinalizeStarted - PublishStarted;
}
