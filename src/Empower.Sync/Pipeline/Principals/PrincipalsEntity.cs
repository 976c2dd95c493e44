using Microsoft.DurableTask.Entities;

namespace Empower.Sync.Pipeline.Principals;

/// <summary>
/// The <c>Principals</c> durable entity (one per job: key = job name): partitions report the throttles they met and
/// read which principals are still resting before they publish. Operations: <c>ReportThrottled</c>, <c>ReportDopHint</c>,
/// <c>Resting</c>.
/// </summary>
public sealed class PrincipalsEntity : TaskEntity<PrincipalRotationState>
{
    public const string Name = "Principals";

    public void ReportThrottled(PrincipalThrottle throttle) => State.ReportThrottled(throttle);

    public void ReportDopHint(PrincipalDopHint hint) => State.ReportDopHint(hint.ClientId, hint.Hint);

    public IReadOnlyList<PrincipalThrottle> Resting(DateTimeOffset now) => State.Resting(now);

    protected override PrincipalRotationState InitializeState(TaskEntityOperation entityOperation) => new();
}

public sealed record PrincipalDopHint(string ClientId, int Hint);
