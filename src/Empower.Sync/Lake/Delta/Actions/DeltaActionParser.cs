using System.Text.Json.Nodes;

namespace Empower.Sync.Lake.Delta.Actions;

/// <summary>
/// Reads actions from a commit line or a checkpoint row (both arrive as JSON objects keyed by action name).
/// Actions the reader does not need (<c>domainMetadata</c>, ...) are skipped.
/// </summary>
internal static class DeltaActionParser
{
    public static IEnumerable<DeltaAction> Parse(JsonObject line, string source)
    {
        foreach (var (name, value) in line)
        {
            if (value is not JsonObject action)
            {
                continue;
            }

            DeltaAction? parsed = name switch
            {
                "add" => ParseAdd(action, source),
                "remove" => new RemoveFile(
                    DecodePath(Required(action, "path", source), source),
                    (long?)action["deletionTimestamp"],
                    (bool?)action["dataChange"] ?? true,
                    ParseDeletionVector(action["deletionVector"] as JsonObject, source),
                    StringMap(action["partitionValues"]),
                    (long?)action["size"] ?? 0),
                "cdc" => new CdcFile(DecodePath(Required(action, "path", source), source), StringMap(action["partitionValues"]), (long?)action["size"] ?? 0),
                "metaData" => new DeltaMetadata(
                    (string?)action["id"] ?? "",
                    Required(action, "schemaString", source),
                    (action["partitionColumns"] as JsonArray)?.Select(c => (string)c!).ToList() ?? [],
                    StringMap(action["configuration"])),
                "protocol" => new DeltaProtocol(
                    (int?)action["minReaderVersion"] ?? throw Missing("protocol.minReaderVersion", source),
                    (int?)action["minWriterVersion"] ?? 0,
                    Strings(action["readerFeatures"]),
                    Strings(action["writerFeatures"])),
                "txn" => new SetTransaction(
                    Required(action, "appId", source), Long(action["version"]) ?? throw Missing("txn.version", source), Long(action["lastUpdated"])),
                "commitInfo" => new CommitInfo(Long(action["timestamp"]), (string?)action["operation"], (string?)action["engineInfo"]),
                _ => null,
            };
            if (parsed is not null)
            {
                yield return parsed;
            }
        }
    }

    private static AddFile ParseAdd(JsonObject add, string source) => new(
        DecodePath(Required(add, "path", source), source),
        StringMap(add["partitionValues"]),
        (long?)add["size"] ?? 0,
        (long?)add["modificationTime"] ?? 0,
        (bool?)add["dataChange"] ?? true,
        (string?)add["stats"],
        ParseDeletionVector(add["deletionVector"] as JsonObject, source));

    private static DeletionVectorDescriptor? ParseDeletionVector(JsonObject? dv, string source) => dv is null
        ? null
        : new DeletionVectorDescriptor(
            Required(dv, "storageType", source),
            Required(dv, "pathOrInlineDv", source),
            (int?)dv["offset"],
            (int?)dv["sizeInBytes"] ?? throw Missing("deletionVector.sizeInBytes", source),
            (long?)dv["cardinality"] ?? throw Missing("deletionVector.cardinality", source));

    /// <summary>Log paths are URL-encoded (a space is <c>%20</c>); the storage layer wants them decoded.</summary>
    private static string DecodePath(string path, string source)
    {
        if (path.Contains("://", StringComparison.Ordinal) || path.StartsWith("file:", StringComparison.Ordinal))
        {
            throw new LakeFormatException(
                LakeErrorKind.UnsupportedFeature,
                $"{source} references the data file '{path}' by absolute URL; Empower reads only files stored under the table folder (relative paths).");
        }

        return Uri.UnescapeDataString(path);
    }

    private static string Required(JsonObject action, string property, string source) =>
        (string?)action[property] ?? throw Missing(property, source);

    private static LakeFormatException Missing(string property, string source) =>
        new(LakeErrorKind.CorruptCommit, $"{source} has an action without its required field '{property}'; the log is corrupt.");

    private static long? Long(JsonNode? node) => node is JsonValue value && value.TryGetValue(out long l) ? l : null;

    private static List<string> Strings(JsonNode? node) => (node as JsonArray)?.Select(s => (string)s!).ToList() ?? [];

    private static Dictionary<string, string?> StringMap(JsonNode? node) =>
        (node as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value is null ? null : kv.Value.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? (string?)kv.Value : kv.Value.ToJsonString(), StringComparer.Ordinal)
        ?? new Dictionary<string, string?>(StringComparer.Ordinal);
}
