using Empower.Sync.Lake.Schema;
using Parquet.Schema;

namespace Empower.Sync.Lake.Parquet;

/// <summary>Derives the logical schema of a plain Parquet file (no Delta log to say it).</summary>
internal static class ParquetSchemaReader
{
    public static LakeSchema Read(ParquetSchema schema, string source) =>
        new(schema.Fields.Select(f => ToField(f, source)).ToList());

    private static LakeField ToField(Field field, string source) => new(field.Name, TypeOf(field, source), field.IsNullable);

    public static LakeDataType TypeOf(Field field, string source) => field switch
    {
        StructField s => new LakeDataType(LakeTypeKind.Struct, Fields: s.Fields.Select(f => ToField(f, source)).ToList()),
        ListField l => new LakeDataType(LakeTypeKind.Array, Element: TypeOf(l.Item, source)),
        MapField m => new LakeDataType(LakeTypeKind.Map, Key: TypeOf(m.Key, source), Value: TypeOf(m.Value, source)),
        DataField { IsArray: true } d => new LakeDataType(LakeTypeKind.Array, Element: LeafType(d, source)),
        DataField d => LeafType(d, source),
        _ => throw new LakeFormatException(LakeErrorKind.UnsupportedFeature, $"The Parquet field '{field.Path}' in {source} has a shape Empower cannot read."),
    };

    private static LakeDataType LeafType(DataField field, string source)
    {
        switch (field)
        {
            case DecimalDataField or BigDecimalDataField:
                return LakeDataType.Decimal(field.SchemaElement?.Precision ?? 38, field.SchemaElement?.Scale ?? 0);
            case DateTimeDataField { DateTimeFormat: DateTimeFormat.Date }:
                return LakeDataType.Primitive(LakeTypeKind.Date);
            case DateTimeDataField { DateTimeFormat: DateTimeFormat.Impala }:
                return LakeDataType.Primitive(LakeTypeKind.Timestamp);
            case DateTimeDataField dt:
                return LakeDataType.Primitive(dt.IsAdjustedToUTC ? LakeTypeKind.Timestamp : LakeTypeKind.TimestampNtz);
        }

        var clr = field.ClrType;
        LakeTypeKind? kind = clr == typeof(bool) ? LakeTypeKind.Boolean
            : clr == typeof(sbyte) ? LakeTypeKind.Byte
            : clr == typeof(byte) || clr == typeof(short) ? LakeTypeKind.Short
            : clr == typeof(ushort) || clr == typeof(int) ? LakeTypeKind.Integer
            : clr == typeof(uint) || clr == typeof(long) ? LakeTypeKind.Long
            : clr == typeof(float) ? LakeTypeKind.Float
            : clr == typeof(double) ? LakeTypeKind.Double
            : clr == typeof(string) || clr == typeof(ReadOnlyMemory<char>) || clr == typeof(Guid) ? LakeTypeKind.String
            : clr == typeof(byte[]) || clr == typeof(ReadOnlyMemory<byte>) ? LakeTypeKind.Binary
            : clr == typeof(DateOnly) ? LakeTypeKind.Date
            : clr == typeof(DateTime) ? LakeTypeKind.Timestamp
            : null;
        if (clr == typeof(ulong))
        {
            return LakeDataType.Decimal(20, 0);
        }

        return kind is { } k
            ? LakeDataType.Primitive(k)
            : throw new LakeFormatException(LakeErrorKind.UnsupportedFeature,
                $"The Parquet column '{field.Path}' in {source} has the type {clr.Name}, which Empower cannot read.");
    }
}
