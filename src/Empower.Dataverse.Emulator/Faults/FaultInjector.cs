using Empower.Dataverse.Emulator.Options;
using Microsoft.Extensions.Options;

namespace Empower.Dataverse.Emulator.Faults;

/// <summary>Draws at most one fault per Web API request from a seeded generator, so a chaos run can be replayed.</summary>
public sealed class FaultInjector(IOptions<EmulatorOptions> options)
{
    private readonly FaultOptions _faults = options.Value.Faults;
    private readonly Lock _gate = new();
    private readonly Dictionary<FaultKind, long> _injected = [];
    private Random _random = new(options.Value.Faults.Seed);

    public FaultKind Draw()
    {
        lock (_gate)
        {
            double roll = _random.NextDouble();
            var kind = Pick(roll);
            if (kind != FaultKind.None)
            {
                _injected[kind] = _injected.GetValueOrDefault(kind) + 1;
            }

            return kind;
        }
    }

    public TimeSpan SlowResponseDelay => TimeSpan.FromMilliseconds(_faults.SlowResponseMs);

    public IReadOnlyDictionary<string, long> Snapshot()
    {
        lock (_gate)
        {
            return _injected.ToDictionary(i => i.Key.ToString(), i => i.Value);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _injected.Clear();
            _random = new Random(_faults.Seed);
        }
    }

    private FaultKind Pick(double roll)
    {
        foreach (var (kind, rate) in _faults.Rates())
        {
            if (roll < rate)
            {
                return kind;
            }

            roll -= rate;
        }

        return FaultKind.None;
    }
}
