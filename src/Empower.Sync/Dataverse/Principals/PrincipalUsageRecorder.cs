using System.Collections.Concurrent;

namespace Empower.Sync.Dataverse.Principals;

/// <summary>
/// Counts per-principal requests, 429s and retries of the work done inside <see cref="Begin"/>'s scope (it flows with
/// the async context into the writer's parallel batches). Meters add up over the whole process; a run's report needs
/// the share of each publish try, even when tries of several runs share one principal pool.
/// </summary>
internal sealed class PrincipalUsageRecorder
{
    private static readonly AsyncLocal<PrincipalUsageRecorder?> Current = new();
    private readonly ConcurrentDictionary<string, long[]> _counts = new(StringComparer.Ordinal);

    public static Scope Begin()
    {
        var recorder = new PrincipalUsageRecorder();
        var previous = Current.Value;
        Current.Value = recorder;
        return new Scope(recorder, previous);
    }

    internal static void Request(string principal) => Current.Value?.Add(principal, 0);

    internal static void Throttled(string principal) => Current.Value?.Add(principal, 1);

    internal static void Retry(string principal) => Current.Value?.Add(principal, 2);

    public IReadOnlyList<PrincipalUsage> Usage() =>
        PrincipalUsage.Sum(_counts.Select(c => new PrincipalUsage(c.Key, Interlocked.Read(ref c.Value[0]), Interlocked.Read(ref c.Value[1]),
            Interlocked.Read(ref c.Value[2]))));

    private void Add(string principal, int counter) => Interlocked.Increment(ref _counts.GetOrAdd(principal, _ => new long[3])[counter]);

    public readonly struct Scope(PrincipalUsageRecorder recorder, PrincipalUsageRecorder? previous) : IDisposable
    {
        public PrincipalUsageRecorder Recorder => recorder;

        public void Dispose() => Current.Value = previous;
    }
}
