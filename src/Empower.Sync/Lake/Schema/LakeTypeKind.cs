namespace Empower.Sync.Lake.Schema;

/// <summary>The Delta / Spark data types a lake table can hold.</summary>
public enum LakeTypeKind
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
    Struct,
    Array,
    Map,
}
