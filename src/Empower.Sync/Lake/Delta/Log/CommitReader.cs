using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Empower.Sync.Lake.Delta.Actions;
using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Lake.Delta.Log;

/// <summary>Reads one JSON commit (newline-delimited actions).</summary>
internal static class CommitReader
{
    public static async Task<IReadOnlyList<DeltaAction>> ReadAsync(ILakeStorage storage, string path, CancellationToken cancellationToken)
    {
        byte[] content;
        await using (var stream = await storage.OpenReadAsync(path, cancellationToken))
        using (var buffer = new MemoryStream())
        {
            await stream.CopyToAsync(buffer, cancellationToken);
            content = buffer.ToArray();
        }

        string source = storage.Describe(path);
        var actions = new List<DeltaAction>();
        int lineNumber = 0;
        foreach (var line in Encoding.UTF8.GetString(content).Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonObject action;
            try
            {
                action = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("the line is not a JSON object");
            }
            catch (JsonException ex)
            {
                throw new LakeFormatException(LakeErrorKind.CorruptCommit,
                    $"The commit {source} is corrupt or truncated at line {lineNumber}: {ex.Message}", ex);
            }

            actions.AddRange(DeltaActionParser.Parse(action, $"{source} line {lineNumber}"));
        }

        return actions;
    }
}
