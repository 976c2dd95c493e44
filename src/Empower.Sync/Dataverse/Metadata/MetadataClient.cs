using System.Collections.Concurrent;
using System.Text.Json;
using Empower.Sync.Dataverse.Errors;
using Empower.Sync.Dataverse.Sending;

namespace Empower.Sync.Dataverse.Metadata;

/// <summary>Loads table metadata once per table and keeps it for the client's lifetime.</summary>
public sealed class MetadataClient(DataverseSender sender)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<EntityMetadata>>> _cache = new(StringComparer.OrdinalIgnoreCase);

    public Task<EntityMetadata> GetAsync(string logicalName, CancellationToken cancellationToken = default) =>
        _cache.GetOrAdd(logicalName, name => new Lazy<Task<EntityMetadata>>(() => LoadAsync(name, cancellationToken))).Value;

    private async Task<EntityMetadata> LoadAsync(string logicalName, CancellationToken cancellationToken)
    {
        string path = $"EntityDefinitions(LogicalName='{logicalName.Replace("'", "''", StringComparison.Ordinal)}')?$expand=Attributes,Keys,ManyToOneRelationships";
        var result = await sender.SendAsync("metadata", 0, () => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
        if (result.Status != SendStatus.Succeeded)
        {
            _cache.TryRemove(logicalName, out _);
            throw new DataverseRequestException($"Cannot load the metadata of the Dataverse table '{logicalName}': {result.Error}", result.Error);
        }

        using var document = JsonDocument.Parse(result.Body);
        return EntityMetadataParser.Parse(document.RootElement);
    }
}
