using Empower.Sync.Dataverse.Principals;
using Empower.Sync.Pipeline.Principals;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace Empower.Sync.Tests.Pipeline.Principals;

/// <summary>
/// The Principals entity through its real dispatch (<see cref="ITaskEntity.RunAsync"/>), with a fake operation and
/// state store: the in-process host cannot run entities, so this is how the entity path is tested here.
/// </summary>
public sealed class PrincipalsEntityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Throttles_reported_by_one_partition_are_resting_for_the_next_until_they_expire()
    {
        var state = new FakeState();

        await RunAsync(state, "ReportThrottled", new PrincipalThrottle("app-2", Now.AddSeconds(30), "0x80072321"));
        await RunAsync(state, "ReportThrottled", new PrincipalThrottle("app-2", Now.AddSeconds(10), "0x80072322"));
        await RunAsync(state, "ReportThrottled", new PrincipalThrottle("app-1", Now.AddSeconds(5), "0x80072322"));
        var resting = (IReadOnlyList<PrincipalThrottle>)(await RunAsync(state, "Resting", Now.AddSeconds(6)))!;

        var app2 = Assert.Single(resting);
        Assert.Equal(("app-2", Now.AddSeconds(30)), (app2.ClientId, app2.Until));
        var saved = (PrincipalRotationState)state.Value!;
        Assert.Equal((2, "0x80072322"), (saved.Principals["app-2"].Throttles, saved.Principals["app-2"].LastCode));
    }

    [Fact]
    public async Task A_publish_rests_principals_other_partitions_saw_throttled_without_lowering_their_concurrency()
    {
        using var pool = new PrincipalPool([new Principal("app-1", new HttpClient(), null!, 4, 52),
            new Principal("app-2", new HttpClient(), null!, 4, 52)], TimeProvider.System);
        var until = DateTimeOffset.UtcNow.AddMinutes(1);

        PrincipalHints.Apply(pool, [new PrincipalThrottle("app-2", until, "0x80072321"), new PrincipalThrottle("gone", until, "")]);
        var (lease, _) = await pool.AcquireAsync(DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal("app-1", lease!.Principal.ClientId);
        Assert.Equal(4, pool.Principals[1].ConcurrencyLimit);
        Assert.Equal([("app-2", until)], PrincipalHints.Resting(pool, DateTimeOffset.UtcNow).Select(t => (t.ClientId, t.Until)));
    }

    private static ValueTask<object?> RunAsync(FakeState state, string operation, object input) =>
        ((ITaskEntity)new PrincipalsEntity()).RunAsync(new FakeOperation(operation, input, state));

    private sealed class FakeState : TaskEntityState
    {
        public object? Value { get; private set; }

        public override bool HasState => Value is not null;

        public override object? GetState(Type type) => Value;

        public override void SetState(object? state) => Value = state;
    }

    private sealed class FakeContext : TaskEntityContext
    {
        public override EntityInstanceId Id => new(PrincipalsEntity.Name, "job");

        public override void SignalEntity(EntityInstanceId id, string operationName, object? input = null, SignalEntityOptions? options = null) =>
            throw new NotSupportedException();

        public override string ScheduleNewOrchestration(TaskName name, object? input = null, StartOrchestrationOptions? options = null) =>
            throw new NotSupportedException();
    }

    private sealed class FakeOperation(string name, object input, FakeState state) : TaskEntityOperation
    {
        public override string Name => name;

        public override TaskEntityContext Context { get; } = new FakeContext();

        public override TaskEntityState State => state;

        public override bool HasInput => true;

        public override object? GetInput(Type inputType) => input;
    }
}
