using System.Text.Json.Nodes;
using Parquet.Data;
using Parquet.Schema;

namespace Empower.Sync.Lake.Parquet;

/// <summary>Walks one leaf column's (repetition level, definition level, value) entries during record assembly.</summary>
internal sealed class LevelCursor
{
    private readonly int[]? _definitions;
    private readonly int[]? _repetitions;
    private readonly JsonNode?[] _values;
    private readonly int _count;
    private int _position;
    private int _valuePosition;

    public LevelCursor(DataField field, RawColumnData raw)
    {
        Field = field;
        _values = JsonCellConverter.Convert(raw);
        _definitions = field.MaxDefinitionLevel > 0 ? TryCopy(raw, r => r.DefinitionLevels) : null;
        _repetitions = field.MaxRepetitionLevel > 0 ? TryCopy(raw, r => r.RepetitionLevels) : null;
        _count = _definitions?.Length ?? _repetitions?.Length ?? _values.Length;
    }

    public DataField Field { get; }

    public bool AtEnd => _position >= _count;

    /// <summary>A writer may leave out the levels of a column without nulls; every entry is then fully defined.</summary>
    public int Definition => _definitions is { Length: > 0 } d ? d[_position] : Field.MaxDefinitionLevel;

    public int Repetition => _repetitions is { Length: > 0 } r ? r[_position] : 0;

    /// <summary>Consumes the current entry; returns its value when the leaf is defined at this entry.</summary>
    public JsonNode? Take()
    {
        bool defined = Definition == Field.MaxDefinitionLevel;
        _position++;
        return defined ? _values[_valuePosition++]?.DeepClone() : null;
    }

    private delegate Span<int> LevelSelector(RawColumnData raw);

    private static int[]? TryCopy(RawColumnData raw, LevelSelector select)
    {
        try
        {
            return select(raw).ToArray();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
