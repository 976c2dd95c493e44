using System.Text.Json;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Mapping;

namespace Empower.Sync.Pipeline.Duplicates;

/// <summary>
/// Keys that occur in more than one partition of a run, found by Plan so every partition resolves them the same way:
/// with <c>lastWins</c>, by partition, the keys a later partition holds again (that partition skips its rows of them);
/// with <c>fail</c>, the keys whose rows all fail. Kept in the run's state folder, not in orchestration history.
/// </summary>
public sealed record RunDuplicates(IReadOnlyDictionary<int, string[]> Superseded, IReadOnlyList<string> FailingKeys)
{
    public static readonly RunDuplicates None = new(new Dictionary<int, string[]>(), []);

    /// <summary>The keys partition <paramref name="partition"/> leaves to a later partition.</summary>
    public IReadOnlySet<string> SupersededIn(int partition) =>
        Superseded.TryGetValue(partition, out var keys) ? keys.ToHashSet(RecordKey.Comparer) : new HashSet<string>(RecordKey.Comparer);

    public bool IsEmpty => Superseded.Count == 0 && FailingKeys.Count == 0;

    private static string PathOf(string runId) => $"runs/{runId}/duplicates.json";

    public async Task SaveAsync(ILakeStorage state, string runId, CancellationToken cancellationToken)
    {
        if (!IsEmpty)
        {
            await state.WriteIfAbsentAsync(PathOf(runId), JsonSerializer.SerializeToUtf8Bytes(this), cancellationToken);
        }
    }

    public static async Task<RunDuplicates> LoadAsync(ILakeStorage state, string runId, CancellationToken cancellationToken)
    {
        if (!await state.ExistsAsync(PathOf(runId), cancellationToken))
        {
            return None;
        }

        await using var stream = await state.OpenReadAsync(PathOf(runId), cancellationToken);
        return await JsonSerializer.DeserializeAsync<RunDuplicates>(stream, cancellationToken: cancellationToken) ?? None;
    }
}
