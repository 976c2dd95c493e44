using System.Text.Json.Nodes;
using Empower.Sync.Lake.Delta.Actions;
using Empower.Sync.Lake.Parquet;
using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Lake.Delta.Log;

/// <summary>
/// Reads a classic checkpoint (one or several Parquet parts). Each row holds one action in a struct column named
/// after it; the rows are rebuilt as JSON objects so commits and checkpoints share one action parser.
/// </summary>
internal static class CheckpointReader
{
    private static readonly string[] ActionColumns = ["add", "remove", "metaData", "protocol", "txn"];

    public static async Task<IReadOnlyList<DeltaAction>> ReadAsync(ILakeStorage storage, CheckpointFiles checkpoint, CancellationToken cancellationToken)
    {
        var actions = new List<DeltaAction>();
        foreach (var part in checkpoint.Parts)
        {
            await using var file = await OpenPartAsync(storage, part, cancellationToken);
            var fields = file.Schema.Fields.Where(f => ActionColumns.Contains(f.Name)).ToList();
            if (fields.Count == 0)
            {
                throw new LakeFormatException(LakeErrorKind.CorruptCheckpoint,
                    $"The checkpoint {file.Location} has none of the columns add, remove, metaData, protocol; it is not a Delta checkpoint.");
            }

            for (int g = 0; g < file.RowGroupCount; g++)
            {
                using var rowGroup = file.Reader.OpenRowGroupReader(g);
                var columns = new List<(string Name, JsonNode?[] Values)>();
                try
                {
                    foreach (var field in fields)
                    {
                        var type = ParquetSchemaReader.TypeOf(field, file.Location);
                        columns.Add((field.Name, await NestedValueAssembler.ReadAsync(rowGroup, field, type, FieldMatcher.ByName, cancellationToken)));
                    }
                }
                catch (Exception ex) when (ex is not LakeFormatException and not OperationCanceledException)
                {
                    throw new LakeFormatException(LakeErrorKind.CorruptCheckpoint,
                        $"The checkpoint {file.Location} cannot be read (row group {g}): {ex.Message}", ex);
                }

                for (int row = 0; row < rowGroup.RowCount; row++)
                {
                    var line = new JsonObject();
                    foreach (var (name, values) in columns)
                    {
                        if (values[row] is { } value)
                        {
                            line[name] = value;
                        }
                    }

                    // Re-parsed so that numbers convert freely, as they do for commit lines.
                    if (line.Count > 0)
                    {
                        actions.AddRange(DeltaActionParser.Parse((JsonObject)JsonNode.Parse(line.ToJsonString())!, $"{file.Location} row {row}"));
                    }
                }
            }
        }

        return actions;
    }

    private static async Task<ParquetFile> OpenPartAsync(ILakeStorage storage, LakeFile part, CancellationToken cancellationToken)
    {
        try
        {
            return await ParquetFile.OpenAsync(storage, part.Path, cancellationToken);
        }
        catch (LakeFormatException ex) when (ex.Kind == LakeErrorKind.CorruptDataFile)
        {
            throw new LakeFormatException(LakeErrorKind.CorruptCheckpoint, $"The checkpoint {ex.Message}", ex);
        }
    }
}
