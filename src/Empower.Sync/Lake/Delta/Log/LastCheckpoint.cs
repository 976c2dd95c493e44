using System.Text.Json;
using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Lake.Delta.Log;

/// <summary>The <c>_delta_log/_last_checkpoint</c> hint: which checkpoint is newest, and how many parts it has.</summary>
internal sealed record LastCheckpoint(long Version, int? Parts)
{
    public const string FileName = LogListing.LogFolder + "_last_checkpoint";

    /// <summary>The hint, or null when it is absent or unreadable (it is only a hint: the listing is the truth).</summary>
    public static async Task<LastCheckpoint?> TryReadAsync(ILakeStorage storage, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await storage.OpenReadAsync(FileName, cancellationToken);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            var root = document.RootElement;
            return new LastCheckpoint(
                root.GetProperty("version").GetInt64(),
                root.TryGetProperty("parts", out var parts) ? parts.GetInt32() : null);
        }
        catch (Exception ex) when (ex is LakeFileNotFoundException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
