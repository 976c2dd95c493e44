using System.Globalization;
using Empower.Sync.Lake.Parquet;
using Empower.Sync.Lake.PartitionValues;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Lake.Tables;

/// <summary>
/// A folder of Parquet files, optionally Hive-partitioned (<c>key=value/</c> folders). Files and folders whose names
/// start with <c>_</c> or <c>.</c> (<c>_SUCCESS</c>, checksums) are skipped. The schema is the union of the files'
/// columns (by name, in order of first appearance) plus the partition columns, whose types are inferred from their values.
/// </summary>
internal static class ParquetFolderSource
{
    public static async Task<LakeTable?> TryOpenAsync(ILakeStorage storage, CancellationToken cancellationToken) =>
        await OpenAsync(storage, storage.ListAsync("", cancellationToken), cancellationToken);

    /// <summary>One Parquet file as a table.</summary>
    public static async Task<LakeTable> OpenFileAsync(ILakeStorage storage, string path, CancellationToken cancellationToken)
    {
        var matches = storage.ListAsync(path, cancellationToken).Where(f => f.Path == path);
        return await OpenAsync(storage, matches, cancellationToken)
            ?? throw new LakeFormatException(LakeErrorKind.TableNotFound, $"{storage.Describe(path)} does not exist or is not a .parquet file.");
    }

    private static async Task<LakeTable?> OpenAsync(ILakeStorage storage, IAsyncEnumerable<LakeFile> listing, CancellationToken cancellationToken)
    {
        var files = new List<(LakeFile File, Dictionary<string, string?> Partitions)>();
        await foreach (var file in listing)
        {
            var segments = file.Path.Split('/');
            if (!file.Path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) || segments.Any(s => s.StartsWith('_') || s.StartsWith('.')))
            {
                continue;
            }

            var partitions = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var folder in segments[..^1])
            {
                int eq = folder.IndexOf('=');
                if (eq > 0)
                {
                    string value = Uri.UnescapeDataString(folder[(eq + 1)..]);
                    partitions[Uri.UnescapeDataString(folder[..eq])] = value == PartitionValueParser.HiveDefaultPartition ? null : value;
                }
            }

            files.Add((file, partitions));
        }

        if (files.Count == 0)
        {
            return null;
        }

        var fields = new List<LakeField>();
        var sourceFiles = new List<SourceFile>();
        foreach (var (file, partitions) in files)
        {
            await using var parquet = await ParquetFile.OpenAsync(storage, file.Path, cancellationToken);
            foreach (var field in ParquetSchemaReader.Read(parquet.Schema, parquet.Location).Fields)
            {
                if (!fields.Any(f => f.Name == field.Name))
                {
                    fields.Add(field);
                }
            }

            sourceFiles.Add(new SourceFile(file.Path, file.Size, partitions, PhysicalRows: parquet.RowCount));
        }

        var partitionColumns = files.SelectMany(f => f.Partitions.Keys).Distinct().Where(k => !fields.Any(f => f.Name == k)).ToList();
        foreach (var column in partitionColumns)
        {
            fields.Add(new LakeField(column, InferType(files.Select(f => f.Partitions.GetValueOrDefault(column)))));
        }

        return new LakeTable(storage.Describe(""), LakeSourceFormat.Parquet, new LakeSchema(fields), partitionColumns, sourceFiles);
    }

    /// <summary>Like Spark's partition discovery: integers, then doubles, then dates, else strings.</summary>
    private static LakeDataType InferType(IEnumerable<string?> values)
    {
        var present = values.Where(v => v is not null).Cast<string>().ToList();
        var invariant = CultureInfo.InvariantCulture;
        if (present.Count == 0)
        {
            return LakeDataType.Primitive(LakeTypeKind.String);
        }

        if (present.All(v => int.TryParse(v, NumberStyles.AllowLeadingSign, invariant, out _)))
        {
            return LakeDataType.Primitive(LakeTypeKind.Integer);
        }

        if (present.All(v => long.TryParse(v, NumberStyles.AllowLeadingSign, invariant, out _)))
        {
            return LakeDataType.Primitive(LakeTypeKind.Long);
        }

        if (present.All(v => double.TryParse(v, NumberStyles.Float, invariant, out _)))
        {
            return LakeDataType.Primitive(LakeTypeKind.Double);
        }

        return present.All(v => DateOnly.TryParseExact(v, "yyyy-MM-dd", invariant, DateTimeStyles.None, out _))
            ? LakeDataType.Primitive(LakeTypeKind.Date)
            : LakeDataType.Primitive(LakeTypeKind.String);
    }
}
