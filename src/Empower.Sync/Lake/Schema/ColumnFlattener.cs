namespace Empower.Sync.Lake.Schema;

/// <summary>Turns a nested schema into the flat list of columns the pipeline maps from.</summary>
internal static class ColumnFlattener
{
    public static IReadOnlyList<LakeColumn> Flatten(LakeSchema schema, IReadOnlyCollection<string> partitionColumns)
    {
        var columns = new List<LakeColumn>();
        foreach (var field in schema.Fields)
        {
            Add(columns, [field], field.Name, field.Nullable, partitionColumns.Contains(field.Name));
        }

        return columns;
    }

    private static void Add(List<LakeColumn> columns, LakeField[] path, string name, bool nullable, bool isPartition)
    {
        var field = path[^1];
        if (field.Type.Kind == LakeTypeKind.Struct)
        {
            foreach (var child in field.Type.Fields!)
            {
                // A null struct makes every leaf null, so a leaf is nullable when any struct on its path is.
                Add(columns, [.. path, child], $"{name}.{child.Name}", nullable || child.Nullable, isPartition);
            }

            return;
        }

        columns.Add(new LakeColumn(name, ColumnTypeOf(field.Type), nullable, path, isPartition));
    }

    public static LakeColumnType ColumnTypeOf(LakeDataType type) => type.Kind switch
    {
        LakeTypeKind.Boolean => LakeColumnType.Boolean,
        LakeTypeKind.Byte => LakeColumnType.Byte,
        LakeTypeKind.Short => LakeColumnType.Short,
        LakeTypeKind.Integer => LakeColumnType.Integer,
        LakeTypeKind.Long => LakeColumnType.Long,
        LakeTypeKind.Float => LakeColumnType.Float,
        LakeTypeKind.Double => LakeColumnType.Double,
        LakeTypeKind.Decimal => LakeColumnType.Decimal,
        LakeTypeKind.String => LakeColumnType.String,
        LakeTypeKind.Binary => LakeColumnType.Binary,
        LakeTypeKind.Date => LakeColumnType.Date,
        LakeTypeKind.Timestamp => LakeColumnType.Timestamp,
        LakeTypeKind.TimestampNtz => LakeColumnType.TimestampNtz,
        _ => LakeColumnType.Json,
    };
}
