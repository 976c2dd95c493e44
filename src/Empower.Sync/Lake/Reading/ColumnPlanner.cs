using Empower.Sync.Lake.Parquet;
using Empower.Sync.Lake.PartitionValues;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Tables;
using Parquet.Schema;

namespace Empower.Sync.Lake.Reading;

/// <summary>Decides, for one file, where each output column comes from.</summary>
internal static class ColumnPlanner
{
    public static List<ColumnSource> Plan(
        IReadOnlyList<LakeColumn> columns, ParquetFile file, SourceFile source, FieldMatcher matcher, TimeZoneInfo timeZone)
    {
        var plan = new List<ColumnSource>(columns.Count);
        foreach (var column in columns)
        {
            if (column.IsPartition)
            {
                source.PartitionValues.TryGetValue(column.Name, out var raw);
                plan.Add(new ColumnSource.Constant(column, PartitionValueParser.Parse(raw, column, timeZone, file.Location)));
                continue;
            }

            plan.Add(Resolve(column, file, matcher));
        }

        return plan;
    }

    private static ColumnSource Resolve(LakeColumn column, ParquetFile file, FieldMatcher matcher)
    {
        IReadOnlyList<Field> candidates = file.Schema.Fields;
        Field? found = null;
        for (int i = 0; i < column.Path.Count; i++)
        {
            found = matcher.Find(candidates, column.Path[i]);
            if (found is null)
            {
                return new ColumnSource.Missing(column);
            }

            if (i < column.Path.Count - 1)
            {
                candidates = found is StructField structField
                    ? structField.Fields
                    : throw Mismatch(column, file, found);
            }
        }

        return column.Type == LakeColumnType.Json
            ? new ColumnSource.Nested(column, found!)
            : found is DataField { IsArray: false } leaf ? new ColumnSource.Leaf(column, leaf) : throw Mismatch(column, file, found!);
    }

    private static LakeFormatException Mismatch(LakeColumn column, ParquetFile file, Field found) =>
        new(LakeErrorKind.SchemaMismatch, $"The column '{column.Name}' is a {column.TypeName} in the table schema, but {file.Location} stores " +
            $"'{found.Path}' as a {found.SchemaType.ToString().ToLowerInvariant()}; the file does not match the table.");
}
