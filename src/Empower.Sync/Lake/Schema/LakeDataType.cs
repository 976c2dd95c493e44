namespace Empower.Sync.Lake.Schema;

/// <summary>A Delta / Spark data type; nested types carry their fields, element, or key and value types.</summary>
public sealed record LakeDataType(
    LakeTypeKind Kind,
    int Precision = 0,
    int Scale = 0,
    IReadOnlyList<LakeField>? Fields = null,
    LakeDataType? Element = null,
    LakeDataType? Key = null,
    LakeDataType? Value = null)
{
    public static LakeDataType Primitive(LakeTypeKind kind) => new(kind);

    public static LakeDataType Decimal(int precision, int scale) => new(LakeTypeKind.Decimal, precision, scale);

    /// <summary>Spark's own spelling (<c>decimal(10,2)</c>, <c>array&lt;int&gt;</c>, <c>struct&lt;a: string&gt;</c>), as users see it in Spark.</summary>
    public override string ToString() => Kind switch
    {
        LakeTypeKind.Decimal => $"decimal({Precision},{Scale})",
        LakeTypeKind.Struct => $"struct<{string.Join(", ", Fields!.Select(f => $"{f.Name}: {f.Type}"))}>",
        LakeTypeKind.Array => $"array<{Element}>",
        LakeTypeKind.Map => $"map<{Key}, {Value}>",
        LakeTypeKind.TimestampNtz => "timestamp_ntz",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    public bool Equals(LakeDataType? other) =>
        other is not null && Kind == other.Kind && Precision == other.Precision && Scale == other.Scale
        && Equals(Element, other.Element) && Equals(Key, other.Key) && Equals(Value, other.Value)
        && (Fields is null ? other.Fields is null : other.Fields is not null && Fields.SequenceEqual(other.Fields));

    public override int GetHashCode() => HashCode.Combine(Kind, Precision, Scale, Fields?.Count, Element, Key, Value);
}
