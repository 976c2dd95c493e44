using Empower.Sync.Lake.Storage;
using Parquet;
using Parquet.Schema;
using ParquetSharp;
using ParquetReader = Parquet.ParquetReader;

namespace Empower.Sync.Lake.Parquet;

/// <summary>An open Parquet file in the lake: its footer is read, its row groups are read on demand.</summary>
internal sealed class ParquetFile : IAsyncDisposable
{
    private readonly ILakeStorage _storage;
    private readonly Stream _stream;
    private Stream? _batchStream;
    private ParquetFileReader? _batchReader;
    private Dictionary<string, int>? _columnIndexes;

    private ParquetFile(ILakeStorage storage, string path, string location, Stream stream, ParquetReader reader)
    {
        _storage = storage;
        Path = path;
        Location = location;
        _stream = stream;
        Reader = reader;
    }

    /// <summary>Path relative to the storage root.</summary>
    public string Path { get; }

    /// <summary>Full location, for messages.</summary>
    public string Location { get; }

    public ParquetReader Reader { get; }

    public ParquetSchema Schema => Reader.Schema;

    public long RowCount => Reader.Metadata?.NumRows ?? 0;

    public int RowGroupCount => Reader.RowGroupCount;

    public static async Task<ParquetFile> OpenAsync(ILakeStorage storage, string path, CancellationToken cancellationToken)
    {
        string location = storage.Describe(path);
        var stream = await storage.OpenReadAsync(path, cancellationToken);
        try
        {
            if (stream.Length < 12)
            {
                throw new LakeFormatException(LakeErrorKind.CorruptDataFile,
                    $"{location} is not a Parquet file: it is {stream.Length} bytes long, too short for a Parquet footer.");
            }

            var reader = await ParquetReader.CreateAsync(stream, Options(wideDecimals: false), leaveStreamOpen: true, cancellationToken);
            if (reader.Metadata?.Schema.Any(e => e.Precision > 28 || e.Scale > 28) == true)
            {
                // Decimals wider than .NET's decimal overflow Parquet.Net's own conversion; read those as BigDecimal.
                await reader.DisposeAsync();
                reader = await ParquetReader.CreateAsync(stream, Options(wideDecimals: true), leaveStreamOpen: true, cancellationToken);
            }

            return new ParquetFile(storage, path, location, stream, reader);
        }
        catch (Exception ex) when (ex is not LakeFormatException and not OperationCanceledException)
        {
            await stream.DisposeAsync();
            throw new LakeFormatException(LakeErrorKind.CorruptDataFile,
                $"{location} is not a readable Parquet file (corrupt or truncated footer): {ex.Message}", ex);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    private static ParquetOptions Options(bool wideDecimals) => new() { UseDateOnlyTypeForDates = true, UseBigDecimal = wideDecimals };

    /// <summary>The codec and encodings of a column, for error messages.</summary>
    public string DescribeColumn(int rowGroup, DataField field)
    {
        var chunk = Reader.RowGroups[rowGroup].RowGroup.Columns.FirstOrDefault(c => c.MetaData?.PathInSchema.SequenceEqual(field.Path.ToList()) == true);
        return chunk?.MetaData is { } meta
            ? $"codec {meta.Codec}, encodings {string.Join("/", meta.Encodings.Distinct())}, physical type {meta.Type}"
            : "column chunk not found";
    }

    /// <summary>
    /// The file opened a second time with ParquetSharp, which reads a row group a batch at a time (Parquet.Net decodes
    /// whole column chunks); opened on first use, on a stream of its own.
    /// </summary>
    public async Task<ParquetFileReader> BatchReaderAsync(CancellationToken cancellationToken)
    {
        if (_batchReader is null)
        {
            // A local file is read by Arrow itself: through a .NET stream every read is a managed callback, a third slower.
            string? local = _storage.LocalPath(Path);
            _batchStream = local is null ? await _storage.OpenReadAsync(Path, cancellationToken) : null;
            try
            {
                using var properties = ArrowAllocator.BatchReaderProperties();
                _batchReader = _batchStream is null ? new ParquetFileReader(local!, properties)
                    : new ParquetFileReader(_batchStream, properties, leaveOpen: true);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new LakeFormatException(LakeErrorKind.CorruptDataFile,
                    $"{Location} is not a readable Parquet file (corrupt or truncated footer): {ex.Message}", ex);
            }
        }

        return _batchReader;
    }

    /// <summary>The batch reader's index of a leaf column, by its path in the schema.</summary>
    public int BatchColumnIndex(DataField field)
    {
        if (_columnIndexes is null)
        {
            var schema = _batchReader!.FileMetaData.Schema;
            _columnIndexes = [];
            for (int c = 0; c < schema.NumColumns; c++)
            {
                using var path = schema.Column(c).Path;
                _columnIndexes.TryAdd(string.Join('\u0001', path.ToDotVector()), c);
            }
        }

        return _columnIndexes.TryGetValue(string.Join('\u0001', field.Path.ToList()), out int index)
            ? index
            : throw new LakeFormatException(LakeErrorKind.CorruptDataFile, $"{Location} has no column chunk for '{field.Path}'.");
    }

    public async ValueTask DisposeAsync()
    {
        _batchReader?.Dispose();
        if (_batchStream is not null)
        {
            await _batchStream.DisposeAsync();
        }

        await Reader.DisposeAsync();
        await _stream.DisposeAsync();
    }
}
