namespace Empower.Sync.Lake.Schema;

/// <summary>
/// The type of a column as the pipeline consumes it. Struct fields are flattened into their leaves (<c>address.city</c>);
/// arrays and maps are one <see cref="Json"/> column holding their value as JSON text.
/// </summary>
public enum LakeColumnType
{
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    Decimal,
    String,
    Binary,
    Date,
    Timestamp,
    TimestampNtz,
    Json,
}
