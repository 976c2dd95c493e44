using System.Runtime.InteropServices;
using Empower.Sync.Lake.Parquet;
using Empower.Sync.Lake.Storage;
using Empower.Testing.Lake;
using ParquetSharp;

namespace Empower.Sync.Tests.Lake.Parquet;

/// <summary>The batch reader allocates from the system allocator, with glibc's mmap threshold fixed before it loads.</summary>
public sealed class ArrowAllocatorTests
{
    // glibc marks a chunk it mapped on its own with this bit of the size word just before the pointer malloc returns.
    private const long MmappedChunk = 0x2;

    [Fact]
    public async Task A_batch_reader_reads_with_the_system_allocator_and_fixes_the_mmap_threshold_unless_the_operator_set_one()
    {
        string path = TestTables.ParquetPath("alltypes_plain.parquet");
        await using var file = await ParquetFile.OpenAsync(new LocalLakeStorage(Path.GetDirectoryName(path)!), Path.GetFileName(path), default);
        var reader = await file.BatchReaderAsync(default);
        var system = MemoryPool.SystemMemoryPool();
        long before = system.BytesAllocated;
        using (var group = reader.RowGroup(0))
        using (var column = group.Column(0))
        {
            Assert.True(system.BytesAllocated > before, "reading a column chunk allocated nothing from the system pool");
        }

        Assert.Equal(file.RowCount, reader.FileMetaData.NumRows);
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable(ArrowAllocator.MmapThresholdVariable) is null)
        {
            // Unless the threshold is fixed, freeing a mapped chunk raises it to that chunk's size, and glibc then
            // serves an 8 MB request from an arena (a free 8 MB in an arena's middle is not to be expected).
            unsafe
            {
                NativeMemory.Free(NativeMemory.Alloc(16 << 20));
            }

            Assert.True(IsMmapped(8 << 20), "an 8 MB allocation after a 16 MB free came from an arena: the mmap threshold was not fixed");
            Assert.False(IsMmapped(16 << 10), "a 16 KB allocation was mapped on its own");
        }
    }

    private static unsafe bool IsMmapped(int bytes)
    {
        void* pointer = NativeMemory.Alloc((nuint)bytes);
        try
        {
            return (*((long*)pointer - 1) & MmappedChunk) != 0;
        }
        finally
        {
            NativeMemory.Free(pointer);
        }
    }
}
