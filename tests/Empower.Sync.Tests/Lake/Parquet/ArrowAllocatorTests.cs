using System.Runtime.InteropServices;
using Empower.Sync.Lake.Parquet;
using Empower.Sync.Lake.Storage;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Lake.Parquet;

/// <summary>Arrow's allocator is told to return freed pages before the batch reader loads it, in the environment native code reads.</summary>
public sealed partial class ArrowAllocatorTests
{
    [Fact]
    public async Task Opening_a_batch_reader_sets_the_purge_delay_in_the_native_environment_unless_the_operator_set_one()
    {
        // What the process started with; the managed copy of the environment does not see libc's setenv.
        string? operatorValue = Environment.GetEnvironmentVariable(ArrowAllocator.PurgeDelayVariable);
        string path = TestTables.ParquetPath("alltypes_plain.parquet");
        await using var file = await ParquetFile.OpenAsync(new LocalLakeStorage(Path.GetDirectoryName(path)!), Path.GetFileName(path), default);
        var reader = await file.BatchReaderAsync(default);

        Assert.Equal(file.RowCount, reader.FileMetaData.NumRows);
        Assert.Equal(operatorValue ?? "0", NativeValue(ArrowAllocator.PurgeDelayVariable));
    }

    private static string? NativeValue(string name) => OperatingSystem.IsWindows()
        ? Environment.GetEnvironmentVariable(name)
        : Marshal.PtrToStringUTF8(GetEnv(name));

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}
