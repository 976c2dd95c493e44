using System.Globalization;
using System.Text.Json;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline.Contracts;

namespace Empower.Sync.Pipeline.Planning;

/// <summary>
/// A job's watermark: the last Delta version fully published (none for a Parquet folder), by which run, how many of
/// that run's rows Dataverse refused or that stayed throttled (the next run retries those), and where they were published
/// (absent in watermarks written before it was recorded). One file per finished run:
/// <c>watermarks/&lt;version&gt;-&lt;time&gt;.json</c>, so the newest sorts last.
/// </summary>
internal sealed record Watermark(long? Version, string RunId, DateTimeOffset At, long RowsToRetry, PublishTarget? Target = null)
{
    private const string Folder = "watermarks/";

    public async Task SaveAsync(ILakeStorage state, CancellationToken cancellationToken)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"{Folder}{Version ?? 0:D20}-{At.UtcTicks:D20}.json");
        await state.WriteIfAbsentAsync(name, JsonSerializer.SerializeToUtf8Bytes(this, Json), cancellationToken);
    }

    /// <summary>The newest watermark: the highest version, the latest run that published it; null when no run finished.</summary>
    public static async Task<Watermark?> LatestAsync(ILakeStorage state, CancellationToken cancellationToken)
    {
        string? latest = null;
        await foreach (var file in state.ListAsync(Folder, cancellationToken))
        {
            if (file.Path.EndsWith(".json", StringComparison.Ordinal) && string.CompareOrdinal(file.Path, latest) > 0)
            {
                latest = file.Path;
            }
        }

        if (latest is null)
        {
            return null;
        }

        await using var stream = await state.OpenReadAsync(latest, cancellationToken);
        return await JsonSerializer.DeserializeAsync<Watermark>(stream, Json, cancellationToken);
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };
}
