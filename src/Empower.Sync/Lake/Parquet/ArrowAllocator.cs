using System.Runtime.InteropServices;
using ParquetSharp;

namespace Empower.Sync.Lake.Parquet;

/// <summary>
/// How Arrow (ParquetSharp's native reader) reads and where it gets its memory. A partition reads on thread-pool
/// threads, so a buffer allocated on one thread is often freed on another after an await; mimalloc keeps such a block
/// on the allocating thread's page until that thread allocates again, and the sync-memory benchmark's peak moved
/// between 405 and 522 MiB from run to run with Arrow's mimalloc (purging at once). The system allocator with a fixed
/// mmap threshold gives an allocation of <see cref="MmapThresholdBytes"/> or more (read buffers, pages, dictionaries)
/// a mapping of its own whenever its arena has no free space that size, unmapped the moment it is freed on whatever
/// thread: 350–373 MiB at 1,000,000 rows. glibc otherwise raises the threshold after each such free, and its arenas
/// then kept 465–492 MiB. An operator's <c>MALLOC_MMAP_THRESHOLD_</c> is left as glibc read it at start-up.
/// </summary>
internal static partial class ArrowAllocator
{
    public const string MmapThresholdVariable = "MALLOC_MMAP_THRESHOLD_";

    public const int MmapThresholdBytes = 64 * 1024;

    /// <summary>Bytes a column's buffered stream reads at a time: about one of the 1 MB pages Spark writes.</summary>
    public const int ReadBufferBytes = 1 << 20;

    private const int MallocMmapThreshold = -3;

    private static readonly Lazy<bool> Configured = new(Configure);

    /// <summary>
    /// Properties for a batch reader: buffered, so a column chunk is read a buffer at a time (unbuffered, Arrow loads
    /// the whole chunk, hundreds of MB per partition for a row group of millions of rows), on the system allocator.
    /// </summary>
    public static ReaderProperties BatchReaderProperties()
    {
        _ = Configured.Value;
        var properties = ReaderProperties.WithMemoryPool(MemoryPool.SystemMemoryPool());
        properties.EnableBufferedStream();
        properties.BufferSize = ReadBufferBytes;
        return properties;
    }

    /// <summary>Whether this call fixed the threshold: not on another OS or C library, nor when the operator set one.</summary>
    private static bool Configure()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(MmapThresholdVariable) is not null)
        {
            return false;
        }

        try
        {
            return MallOpt(MallocMmapThreshold, MmapThresholdBytes) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);
}
