using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Rows;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Lake.Writing;

namespace Empower.Sync.FailedRows;

/// <summary>
/// The failed-rows Delta table of a job: one commit per run, its rows in a file under <c>runs/{run id}/</c>, queryable from Spark
/// (<c>SELECT * FROM delta.`.../failed_rows` WHERE run_id = ...</c>) and read back by <c>empower failed-rows</c>.
/// </summary>
public sealed class FailedRowsTable(ILakeStorage storage, TimeProvider time)
{
    public static readonly LakeSchema Schema = new(
    [
        Column("run_id", LakeTypeKind.String),
        Column("job", LakeTypeKind.String),
        Column("table", LakeTypeKind.String),
        Column("source_file", LakeTypeKind.String),
        Column("row_index", LakeTypeKind.Long),
        Column("row_key", LakeTypeKind.String),
        Column("stage", LakeTypeKind.String),
        Column("error_code", LakeTypeKind.String),
        Column("error_message", LakeTypeKind.String),
        Column("attempts", LakeTypeKind.Integer),
        Column("principal", LakeTypeKind.String),
        Column("failed_at", LakeTypeKind.Timestamp),
        Column("payload", LakeTypeKind.String),
    ]);

    /// <summary>
    /// Records a run's failed rows in one commit, in a data file under <c>runs/{run id}/</c>; the same commit removes what
    /// an earlier execution of the same run id recorded (a re-run after a crash, a Finalize executed twice), so a run's
    /// rows are in the table once, as its last Finalize saw them. Returns the version committed, or null when there was
    /// nothing to write or remove.
    /// </summary>
    public async Task<long?> RecordRunAsync(string runId, IReadOnlyList<FailedRow> rows, bool includePayload, CancellationToken cancellationToken = default)
    {
        string folder = $"runs/{runId}/";
        IReadOnlyList<string> earlier = await DeltaTable.ExistsAsync(storage, cancellationToken)
            ? [.. (await LakeTableOpener.OpenAsync(storage, TableRequest.Latest,
                cancellationToken)).Files.Select(f => f.Path).Where(p => p.StartsWith(folder, StringComparison.Ordinal))]
            : [];
        if (rows.Count == 0 && earlier.Count == 0)
        {
            return null;
        }

        var writer = new DeltaAppendWriter(storage, Schema, time);
        var cells = rows.Select(r => new object?[]
        {
            r.RunId, r.Job, r.Table, r.SourceFile, r.RowIndex, r.RowKey, r.Stage.ToString().ToLowerInvariant(), r.ErrorCode,
            r.ErrorMessage, r.Attempts, r.Principal, r.FailedAt, includePayload ? r.Payload : null,
        }).ToList();
        IReadOnlyList<DataFile> added = rows.Count == 0 ? []
            : [await writer.WriteFileAsync($"{folder}part-{Guid.NewGuid():N}.snappy.parquet", cells, cancellationToken)];
        return await writer.CommitAsync(added, earlier, earlier.Count == 0 ? "FAILED ROWS" : "FAILED ROWS (REPLACE RUN)", cancellationToken);
    }

    /// <summary>
    /// Removes the rows recorded by runs that never finished (killed in Finalize after recording their failed rows, before
    /// their report): the run that follows retries those rows and records what still fails, so a row is not listed under
    /// both. Returns the runs whose rows were removed.
    /// </summary>
    public async Task<IReadOnlyList<string>> RemoveUnfinishedAsync(string currentRunId, Func<string, CancellationToken, Task<bool>> finished,
        CancellationToken cancellationToken = default)
    {
        if (!await DeltaTable.ExistsAsync(storage, cancellationToken))
        {
            return [];
        }

        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest, cancellationToken);
        var removed = new List<string>();
        var runs = new List<string>();
        foreach (var run in table.Files.Select(f => f.Path).Where(p => p.StartsWith("runs/", StringComparison.Ordinal)).GroupBy(p => p.Split('/')[1],
            StringComparer.Ordinal))
        {
            if (run.Key != currentRunId && !await finished(run.Key, cancellationToken))
            {
                removed.AddRange(run);
                runs.Add(run.Key);
            }
        }

        if (removed.Count > 0)
        {
            await new DeltaAppendWriter(storage, Schema, time).CommitAsync([], removed, "REMOVE UNFINISHED RUNS", cancellationToken);
        }

        return runs;
    }

    /// <summary>The failed rows of every run, or of one run.</summary>
    public async Task<IReadOnlyList<FailedRow>> ReadAsync(string? runId = null, CancellationToken cancellationToken = default)
    {
        if (!await DeltaTable.ExistsAsync(storage, cancellationToken))
        {
            return [];
        }

        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest, cancellationToken);
        var rows = new List<FailedRow>();
        await foreach (var batch in new LakeTableReader(storage, table).ReadAllAsync(cancellationToken))
        {
            for (int r = 0; r < batch.RowCount; r++)
            {
                var row = Read(batch, r);
                if (runId is null || row.RunId == runId)
                {
                    rows.Add(row);
                }
            }
        }

        return rows;
    }

    private static FailedRow Read(RowBatch batch, int r)
    {
        string? S(string name) => (string?)batch[name].GetValue(r);
        return new FailedRow(
            S("run_id")!, S("job")!, S("table")!, S("source_file")!, (long)batch["row_index"].GetValue(r)!, S("row_key"),
            Enum.Parse<FailureStage>(S("stage")!, ignoreCase: true), S("error_code"), S("error_message")!, (int)batch["attempts"].GetValue(r)!,
            S("principal"), new DateTimeOffset((DateTime)batch["failed_at"].GetValue(r)!), S("payload"));
    }

    private static LakeField Column(string name, LakeTypeKind kind) => new(name, LakeDataType.Primitive(kind));
}
