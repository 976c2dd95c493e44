using Empower.Sync.Dataverse.Errors;
using Empower.Sync.Lake.Writing;

namespace Empower.Sync.Ingestion;

/// <summary>
/// Writes a snapshot's rows into data files as the pages arrive — a file each <see cref="IngestTable.RowsPerFile"/>
/// rows — so a snapshot holds one file's rows at a time, whatever the table's size. The files join the table only
/// when <see cref="IngestTable.ReplaceAsync"/> commits them. A record that arrives twice in one step fails the run (it
/// would be two rows of one id), and nothing is committed.
/// </summary>
internal sealed class SnapshotWriter
{
    private readonly DeltaAppendWriter _writer;
    private readonly List<object?[]> _buffer = [];
    private readonly List<DataFile> _files = [];
    private readonly HashSet<Guid> _ids = [];

    internal SnapshotWriter(DeltaAppendWriter writer, string table, IngestResume? resume)
    {
        _writer = writer;
        Table = table;
        _files.AddRange(resume?.Files ?? []);
        Rows = resume?.Rows ?? 0;
    }

    public string Table { get; }

    public long Rows { get; private set; }

    /// <summary>Adds rows whose first cell is the record's id.</summary>
    public async Task AddAsync(IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            if (!_ids.Add(Guid.Parse((string)row[0]!)))
            {
                throw new DataverseRequestException(
                    $"Dataverse returned the record {row[0]} twice while paging '{Table}'; nothing was committed, and the next run reads the table again.");
            }

            _buffer.Add(row);
            Rows++;
            if (_buffer.Count == IngestTable.RowsPerFile)
            {
                await FlushAsync(cancellationToken);
            }
        }
    }

    /// <summary>The snapshot's files, the last one written now.</summary>
    internal async Task<IReadOnlyList<DataFile>> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Count > 0 || _files.Count == 0)
        {
            await FlushAsync(cancellationToken);
        }

        return _files;
    }

    /// <summary>The files so far, the rows buffered written now, for a snapshot that resumes after a durable timer.</summary>
    internal async Task<IReadOnlyList<DataFile>> SuspendAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Count > 0)
        {
            await FlushAsync(cancellationToken);
        }

        return [.. _files];
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        _files.Add(await _writer.WritePartAsync(_buffer, cancellationToken));
        _buffer.Clear();
    }
}
