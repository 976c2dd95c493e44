namespace Empower.Dataverse.Emulator.Schema;

public enum AttributeType
{
    String,
    Memo,
    Integer,
    Decimal,
    Money,
    Double,
    Boolean,
    DateTime,
    Choice,
    Lookup,
    UniqueIdentifier,
}
