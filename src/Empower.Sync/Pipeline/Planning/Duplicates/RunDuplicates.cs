using System.Text.Json;
using Empower.Sync.ChangeDetection;
using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Pipeline.Planning.Duplicates;

/// <summary>
/// Keys that occur more than once in a run, found by Plan so every partition resolves them the same way and can
/// publish as it reads: with <c>lastWins</c>, by partition, the ids of the rows a later row of the same key replaces
/// (in the same partition or a later one); with <c>fail</c>, the hashes of the keys whose rows all fail. Kept in the
/// run's state folder, not in orchestration history.
/// </summary>
internal sealed record RunDuplicates(IReadOnlyDictionary<int, long[]> Superseded, IReadOnlyList<string> FailingKeys)
{
    public static readonly RunDuplicates None = new(new Dictionary<int, long[]>(), []);

    /// <summary>The rows of partition <paramref name="partition"/> a later row of their key replaces.</summary>
    public IReadOnlySet<long> SupersededIn(int partition) => Superseded.TryGetValue(partition, out var rows) ? rows.ToHashSet() : [];

    /// <summary>The key hashes (<see cref="RowHash.OfKey"/>) whose rows all fail.</summary>
    public IReadOnlySet<UInt128> Failing() => FailingKeys.Select(RowHash.Parse).ToHashSet();

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
