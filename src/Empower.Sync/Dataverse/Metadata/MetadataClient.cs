using System.Collections.Concurrent;
using System.Text.Json;
using Empower.Sync.Dataverse.Errors;
using Empower.Sync.Dataverse.Sending;
using Empower.Sync.Suggestions;

namespace Empower.Sync.Dataverse.Metadata;

/// <summary>Loads table metadata once per table and keeps it for the client's lifetime.</summary>
public sealed class MetadataClient
{
    private readonly ConcurrentDictionary<string, Lazy<Task<EntityMetadata>>> _cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly DataverseSender _sender;

    internal MetadataClient(DataverseSender sender) => _sender = sender;

    public Task<EntityMetadata> GetAsync(string logicalName, CancellationToken cancellationToken = default) =>
        _cache.GetOrAdd(logicalName, name => new Lazy<Task<EntityMetadata>>(() => LoadAsync(name, cancellationToken))).Value;

    private async Task<EntityMetadata> LoadAsync(string logicalName, CancellationToken cancellationToken)
    {
        string quoted = logicalName.Replace("'", "''", StringComparison.Ordinal);
        string path = $"EntityDefinitions(LogicalName='{quoted}')?$expand=Attributes,Keys,ManyToOneRelationships";
        var result = await _sender.SendAsync("metadata", 0, () => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
        if (result.Status != SendStatus.Succeeded)
        {
            _cache.TryRemove(logicalName, out _);
            string suggestion = result.Error is { Status: 404 } ? NearestName.Suggest(logicalName, await TableNamesAsync(cancellationToken)) : "";
            throw new DataverseRequestException($"Cannot load the metadata of the Dataverse table '{logicalName}'{suggestion}: {result.Error}", result.Error);
        }

        using var document = JsonDocument.Parse(result.Body);
        return EntityMetadataParser.Parse(document.RootElement);
    }

    /// <summary>The logical names of the environment's tables (for a did-you-mean); none when they cannot be read.</summary>
    private async Task<IReadOnlyList<string>> TableNamesAsync(CancellationToken cancellationToken)
    {
        var result = await _sender.SendAsync("metadata", 0,
            () => new HttpRequestMessage(HttpMethod.Get, "EntityDefinitions?$select=LogicalName"), cancellationToken);
        if (result.Status != SendStatus.Succeeded)
        {
            return [];
        }

        using var document = JsonDocument.Parse(result.Body);
        return [.. document.RootElement.GetProperty("value").EnumerateArray().Select(t => t.GetProperty("LogicalName").GetString()!)];
    }
}
