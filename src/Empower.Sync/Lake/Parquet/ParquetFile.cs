using Empower.Sync.Lake.Storage;
using Parquet;
using Parquet.Schema;

namespace Empower.Sync.Lake.Parquet;

/// <summary>An open Parquet file in the lake: its footer is read, its row groups are read on demand.</summary>
public sealed class ParquetFile : IAsyncDisposable
{
    private readonly Stream _stream;

    private ParquetFile(string path, string location, Stream stream, ParquetReader reader)
    {
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
                throw new LakeFormatException($"{location} is not a Parquet file: it is {stream.Length} bytes long, too short for a Parquet footer.");
            }

            var reader = await ParquetReader.CreateAsync(stream, Options(wideDecimals: false), leaveStreamOpen: true, cancellationToken);
            if (reader.Metadata?.Schema.Any(e => e.Precision > 28 || e.Scale > 28) == true)
            {
                // Decimals wider than .NET's decimal overflow Parquet.Net's own conversion; read those as BigDecimal.
                await reader.DisposeAsync();
                reader = await ParquetReader.CreateAsync(stream, Options(wideDecimals: true), leaveStreamOpen: true, cancellationToken);
            }

            return new ParquetFile(path, location, stream, reader);
        }
        catch (Exception ex) when (ex is not LakeFormatException and not OperationCanceledException)
        {
            await stream.DisposeAsync();
            throw new LakeFormatException($"{location} is not a readable Parquet file (corrupt or truncated footer): {ex.Message}", ex);
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

    public async ValueTask DisposeAsync()
    {
        await Reader.DisposeAsync();
        await _stream.DisposeAsync();
    }
}
