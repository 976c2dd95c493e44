using System.Text.Json.Nodes;
using Empower.Sync.Lake.Schema;
using Parquet;
using Parquet.Schema;

namespace Empower.Sync.Lake.Parquet;

/// <summary>
/// Rebuilds nested values (arrays, maps, structs inside them) from Parquet's repetition and definition levels
/// (Dremel record assembly), one JSON value per row. Struct fields take their logical names from the table schema,
/// so column-mapped tables read with the names users know.
/// </summary>
internal sealed class NestedValueAssembler
{
    private readonly Dictionary<DataField, LevelCursor> _cursors;
    private readonly FieldMatcher _matcher;

    private NestedValueAssembler(Dictionary<DataField, LevelCursor> cursors, FieldMatcher matcher)
    {
        _cursors = cursors;
        _matcher = matcher;
    }

    /// <summary>Reads the values of <paramref name="field"/> for every row of the row group.</summary>
    public static async Task<JsonNode?[]> ReadAsync(
        ParquetRowGroupReader rowGroup, Field field, LakeDataType logical, FieldMatcher matcher, CancellationToken cancellationToken)
    {
        var cursors = new Dictionary<DataField, LevelCursor>();
        foreach (var leaf in Leaves(field))
        {
            using var raw = await rowGroup.ReadRawColumnDataBaseAsync(leaf, cancellationToken);
            cursors[leaf] = new LevelCursor(leaf, raw);
        }

        var assembler = new NestedValueAssembler(cursors, matcher);
        var rows = new JsonNode?[rowGroup.RowCount];
        for (int row = 0; row < rows.Length; row++)
        {
            rows[row] = assembler.Read(field, logical);
        }

        return rows;
    }

    private JsonNode? Read(Field field, LakeDataType? logical)
    {
        var first = _cursors[Leaves(field).First()];
        int definition = first.Definition;
        switch (field)
        {
            case DataField { IsArray: false } leaf:
                return _cursors[leaf].Take();
            case DataField leaf:
                return ReadRepeated(leaf, leaf.MaxDefinitionLevel, leaf.MaxRepetitionLevel, leaf.IsNullable, () => _cursors[leaf].Take());
            case StructField structField:
                return definition < structField.MaxDefinitionLevel ? SkipNull(structField) : ReadStruct(structField, logical);
            case ListField list:
                return ReadRepeated(list, list.MaxDefinitionLevel, list.MaxRepetitionLevel, list.IsNullable, () => Read(list.Item, logical?.Element));
            case MapField map:
                var pairs = ReadRepeated(map, map.MaxDefinitionLevel, map.MaxRepetitionLevel, map.IsNullable, () =>
                    new JsonArray(Read(map.Key, logical?.Key), Read(map.Value, logical?.Value)));
                return pairs is JsonArray array ? ToObject(array) : pairs;
            default:
                throw new NotSupportedException($"Unexpected Parquet field {field.Path}.");
        }
    }

    private JsonNode? ReadRepeated(Field field, int definitionLevel, int repetitionLevel, bool nullable, Func<JsonNode?> readElement)
    {
        var first = _cursors[Leaves(field).First()];
        int definition = first.Definition;
        if (definition < definitionLevel)
        {
            SkipNull(field);
            return nullable && definition < definitionLevel - 1 ? null : new JsonArray();
        }

        var elements = new JsonArray();
        do
        {
            elements.Add(readElement());
        }
        while (!first.AtEnd && first.Repetition == repetitionLevel);

        return elements;
    }

    private JsonObject ReadStruct(StructField structField, LakeDataType? logical)
    {
        var values = new Dictionary<Field, JsonNode?>();
        foreach (var child in structField.Fields)
        {
            values[child] = Read(child, logical?.Fields is null ? null : MatchLogical(logical.Fields, child)?.Type);
        }

        var result = new JsonObject();
        if (logical?.Fields is null)
        {
            foreach (var (child, value) in values)
            {
                result[child.Name] = value;
            }

            return result;
        }

        foreach (var field in logical.Fields)
        {
            var child = _matcher.Find(structField.Fields, field);
            result[field.Name] = child is null ? null : values[child];
        }

        return result;
    }

    private LakeField? MatchLogical(IReadOnlyList<LakeField> fields, Field child) =>
        fields.FirstOrDefault(f => ReferenceEquals(_matcher.Find([child], f), child));

    /// <summary>A null (or empty) value leaves exactly one entry in every leaf beneath it.</summary>
    private JsonNode? SkipNull(Field field)
    {
        foreach (var leaf in Leaves(field))
        {
            _cursors[leaf].Take();
        }

        return null;
    }

    /// <summary>Maps become JSON objects; keys that are not strings are written as their JSON text.</summary>
    private static JsonObject ToObject(JsonArray pairs)
    {
        var result = new JsonObject();
        foreach (var pair in pairs.Cast<JsonArray>())
        {
            var key = pair[0];
            string name = key is JsonValue value && value.TryGetValue(out string? text) ? text : key?.ToJsonString() ?? "null";
            var entryValue = pair[1];
            pair.Clear();
            result[name] = entryValue;
        }

        return result;
    }

    public static IEnumerable<DataField> Leaves(Field field) => field switch
    {
        DataField data => [data],
        StructField s => s.Fields.SelectMany(Leaves),
        ListField l => Leaves(l.Item),
        MapField m => Leaves(m.Key).Concat(Leaves(m.Value)),
        _ => [],
    };
}
