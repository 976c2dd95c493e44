namespace Empower.Sync.Lake.Schema;

/// <summary>
/// A field of a table or struct. <see cref="Name"/> is the logical name users see; <see cref="PhysicalName"/> and
/// <see cref="FieldId"/> are how the field is found in Parquet files when Delta column mapping is on.
/// </summary>
public sealed record LakeField(string Name, LakeDataType Type, bool Nullable, string PhysicalName, int? FieldId = null)
{
    public LakeField(string name, LakeDataType type, bool nullable = true) : this(name, type, nullable, name)
    {
    }
}
