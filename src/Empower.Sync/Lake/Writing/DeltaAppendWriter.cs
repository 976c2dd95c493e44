using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Delta.Log;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Writing.Checkpoints;
using Parquet;
using Parquet.Schema;

namespace Empower.Sync.Lake.Writing;

/// <summary>
/// Writes Delta tables that Empower owns (failed rows, published state): snappy Parquet data files, then a commit of
/// the next version with put-if-absent. When another writer took that version first, it commits the version after
/// (appends never conflict in content); a writer whose changes depend on the version it read commits with
/// <see cref="TryCommitAsync"/>, which fails instead. The first commit creates the table (protocol 1/2, the schema).
/// Columns are flat: string, long, integer, double, decimal, date, timestamp (UTC) and boolean. Data files may be
/// written ahead and committed later (<see cref="WriteFileAsync"/> then a commit): until then readers do not see them.
/// </summary>
public sealed class DeltaAppendWriter(ILakeStorage storage, LakeSchema schema, TimeProvider time)
{
    private const int MaxCommitAttempts = 50;

    /// <summary>Appends the rows (each an array of cells in schema order); returns the version committed.</summary>
    public async Task<long> AppendAsync(IReadOnlyList<object?[]> rows, string operation, CancellationToken cancellationToken = default) =>
        await CommitAsync([await WritePartAsync(rows, cancellationToken)], [], operation, cancellationToken);

    /// <summary>Writes one data file named as Spark names its parts (<c>part-&lt;unique&gt;.snappy.parquet</c>) at the table root.</summary>
    internal Task<DataFile> WritePartAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken = default) =>
        WriteFileAsync($"part-{Guid.NewGuid():N}.snappy.parquet", rows, cancellationToken);

    /// <summary>Commits files written by <see cref="WriteFileAsync"/> and removes others, in one new version.</summary>
    internal async Task<long> CommitAsync(IReadOnlyList<DataFile> added, IReadOnlyList<string> removed, string operation,
        CancellationToken cancellationToken = default)
    {
        for (int attempt = 0; attempt < MaxCommitAttempts; attempt++)
        {
            long version = await NextVersionAsync(cancellationToken);
            if (await TryCommitAsync(version, added, removed, operation, cancellationToken: cancellationToken))
            {
                return version;
            }
        }

        throw new LakeFormatException(LakeErrorKind.CommitConflict,
            $"Could not commit to {storage.Describe("")} after {MaxCommitAttempts} attempts: other writers kept taking the next version.");
    }

    /// <summary>
    /// Commits exactly <paramref name="version"/> (put-if-absent): false when another writer committed it first.
    /// <paramref name="commitInfo"/> adds fields to the commit's <c>commitInfo</c>, <paramref name="actions"/> whole
    /// actions (a <c>txn</c>), <paramref name="newSchema"/> a <c>metaData</c> action with this writer's schema in a
    /// later version (the first has one anyway), and <paramref name="configuration"/> the table's properties. A version
    /// due a checkpoint (every <c>delta.checkpointInterval</c> of <paramref name="configuration"/>, else 10) gets one.
    /// </summary>
    internal async Task<bool> TryCommitAsync(
        long version, IReadOnlyList<DataFile> added, IReadOnlyList<string> removed, string operation,
        JsonObject? commitInfo = null, IReadOnlyList<JsonObject>? actions = null, IReadOnlyDictionary<string, string>? configuration = null,
        bool newSchema = false, CancellationToken cancellationToken = default)
    {
        if (!await storage.WriteIfAbsentAsync(
            $"{LogListing.LogFolder}{version:D20}.json", Commit(version, added, removed, operation, commitInfo, actions, configuration,
                newSchema), cancellationToken))
        {
            return false;
        }

        // The writer that commits a due version checkpoints it, so every reader's replay stays under one interval.
        if (CheckpointWriter.IsDue(version, configuration))
        {
            await CheckpointWriter.WriteAsync(storage, version, cancellationToken);
        }

        return true;
    }

    /// <summary>The version the next commit takes: 0 for a table not created yet.</summary>
    public async Task<long> NextVersionAsync(CancellationToken cancellationToken = default) =>
        await DeltaTable.ExistsAsync(storage, cancellationToken)
            ? (await LogListing.ReadAsync(storage, cancellationToken)).LatestVersion + 1
            : 0;

    private byte[] Commit(
        long version, IReadOnlyList<DataFile> added, IReadOnlyList<string> removed, string operation,
        JsonObject? commitInfo = null, IReadOnlyList<JsonObject>? actions = null, IReadOnlyDictionary<string, string>? configuration = null,
            bool newSchema = false)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var info = new JsonObject { ["timestamp"] = now, ["operation"] = operation, ["engineInfo"] = "Empower", ["isBlindAppend"] = removed.Count == 0 };
        foreach (var (name, value) in commitInfo ?? [])
        {
            info[name] = value?.DeepClone();
        }

        var lines = new List<JsonObject> { new() { ["commitInfo"] = info } };
        if (version == 0)
        {
            // Writers of a table with Change Data Feed must write its change files: writer version 4 says so.
            bool changeFeed = configuration?.GetValueOrDefault("delta.enableChangeDataFeed") == "true";
            lines.Add(new JsonObject { ["protocol"] = new JsonObject { ["minReaderVersion"] = 1, ["minWriterVersion"] = changeFeed ? 4 : 2 } });
        }

        if (version == 0 || newSchema)
        {
            lines.Add(new JsonObject
            {
                ["metaData"] = new JsonObject
                {
                    ["id"] = Guid.NewGuid().ToString(),
                    ["format"] = new JsonObject { ["provider"] = "parquet", ["options"] = new JsonObject() },
                    ["schemaString"] = SchemaString(),
                    ["partitionColumns"] = new JsonArray(),
                    ["configuration"] = new JsonObject([.. (configuration ?? new Dictionary<string,
                        string>()).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]),
                    ["createdTime"] = now,
                },
            });
        }

        lines.AddRange(actions ?? []);
        lines.AddRange(removed.Select(path => new JsonObject
        {
            ["remove"] = new JsonObject { ["path"] = path, ["deletionTimestamp"] = now, ["dataChange"] = true },
        }));
        lines.AddRange(added.Select(file => new JsonObject
        {
            ["add"] = new JsonObject
            {
                ["path"] = file.Path,
                ["partitionValues"] = new JsonObject(),
                ["size"] = file.Size,
                ["modificationTime"] = now,
                ["dataChange"] = true,
                ["stats"] = file.Stats ?? $"{{\"numRecords\":{file.Rows.ToString(CultureInfo.InvariantCulture)}}}",
            },
        }));
        return Encoding.UTF8.GetBytes(string.Join("\n", lines.Select(l => l.ToJsonString())) + "\n");
    }

    private string SchemaString()
    {
        var fields = schema.Fields.Select(f => new JsonObject
        {
            ["name"] = f.Name,
            ["type"] = f.Type.ToString(),
            ["nullable"] = f.Nullable,
            ["metadata"] = new JsonObject(),
        });
        return new JsonObject { ["type"] = "struct", ["fields"] = new JsonArray([.. fields]) }.ToJsonString();
    }

    /// <summary>Writes one data file at <paramref name="file"/> (relative to the table root); it is not part of the table until committed.</summary>
    internal async Task<DataFile> WriteFileAsync(string file, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken = default)
    {
        var fields = schema.Fields.Select(ParquetField).ToArray();
        using var buffer = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), buffer,
            new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: cancellationToken))
        {
            using var group = writer.CreateRowGroup();
            for (int c = 0; c < fields.Length; c++)
            {
                await WriteColumnAsync(group, fields[c], schema.Fields[c].Type.Kind, rows.Select(r => r[c]).ToArray(), cancellationToken);
            }
        }

        // The stream's own buffer, not a copy of it: a file is megabytes, on the large-object heap.
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (!await storage.WriteIfAbsentAsync(file, bytes, cancellationToken))
        {
            throw new LakeFormatException(LakeErrorKind.CommitConflict,
                $"{storage.Describe(file)} already exists; data files are named uniquely, so something else wrote it.");
        }

        return new DataFile(file, bytes.Length, rows.Count, FileStatistics.Of(schema, rows));
    }

    private static DataField ParquetField(LakeField field) => field.Type.Kind switch
    {
        LakeTypeKind.String => new DataField<string>(field.Name, true),
        LakeTypeKind.Long => new DataField<long>(field.Name, true),
        LakeTypeKind.Integer => new DataField<int>(field.Name, true),
        LakeTypeKind.Boolean => new DataField<bool>(field.Name, true),
        LakeTypeKind.Double => new DataField<double>(field.Name, true),
        LakeTypeKind.Timestamp => new DateTimeDataField(field.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true,
            unit: DateTimeTimeUnit.Micros, isNullable: true),
        LakeTypeKind.Date => new DataField<DateOnly>(field.Name, true),
        LakeTypeKind.Decimal => new DecimalDataField(field.Name, field.Type.Precision, field.Type.Scale, isNullable: true),
        _ => throw new NotSupportedException($"The column '{field.Name}' is a {field.Type}; Empower writes string, long, integer, double, decimal, boolean, " +
            $"date and timestamp columns."),
    };

    private static async Task WriteColumnAsync(ParquetRowGroupWriter group, DataField field, LakeTypeKind kind, object?[] cells,
        CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case LakeTypeKind.String:
                await group.WriteAsync(field, cells.Select(c => (string?)c).ToArray()!, null);
                break;
            case LakeTypeKind.Long:
                await group.WriteAsync<long>(field, cells.Select(c => c is null ? (long?)null : Convert.ToInt64(c, CultureInfo.InvariantCulture)).ToArray(),
                    cancellationToken: cancellationToken);
                break;
            case LakeTypeKind.Integer:
                await group.WriteAsync<int>(field, cells.Select(c => c is null ? (int?)null : Convert.ToInt32(c, CultureInfo.InvariantCulture)).ToArray(),
                    cancellationToken: cancellationToken);
                break;
            case LakeTypeKind.Boolean:
                await group.WriteAsync<bool>(field, cells.Select(c => (bool?)c).ToArray(), cancellationToken: cancellationToken);
                break;
            case LakeTypeKind.Double:
                await group.WriteAsync<double>(field, cells.Select(c => c is null ? (double?)null
                    : Convert.ToDouble(c, CultureInfo.InvariantCulture)).ToArray(), cancellationToken: cancellationToken);
                break;
            case LakeTypeKind.Decimal:
                await group.WriteAsync<decimal>(field, cells.Select(c => c is null ? (decimal?)null
                    : Convert.ToDecimal(c, CultureInfo.InvariantCulture)).ToArray(), cancellationToken: cancellationToken);
                break;
            case LakeTypeKind.Date:
                await group.WriteAsync<DateOnly>(field, cells.Select(c => c switch
                {
                    null => (DateOnly?)null,
                    DateOnly d => d,
                    DateTime t => DateOnly.FromDateTime(t),
                    _ => throw new InvalidCastException($"'{c}' is not a date."),
                }).ToArray(), cancellationToken: cancellationToken);
                break;
            default:
                await group.WriteAsync<DateTime>(field, cells.Select(c => c switch
                {
                    null => (DateTime?)null,
                    DateTimeOffset o => o.UtcDateTime,
                    DateTime t => t.ToUniversalTime(),
                    _ => throw new InvalidCastException($"'{c}' is not a timestamp."),
                }).ToArray(), cancellationToken: cancellationToken);
                break;
        }
    }
}
