using System.Runtime.InteropServices;
using Empower.Sync.Lake.Parquet;
using Empower.Sync.Lake.Storage;
using Empower.Testing.Lake;
using Parquet;
using Parquet.Schema;

namespace Empower.Sync.Tests.Lake.Parquet;

/// <summary>Arrow's allocator is told to return freed pages before the batch reader loads it, in the environment native code reads.</summary>
public sealed partial class ArrowAllocatorTests
{
    [Fact]
    public async Task Opening_a_batch_reader_sets_the_purge_delay_in_the_native_environment_unless_the_operator_set_one()
    {
        // What the process started with; the managed copy of the environment does not see libc's setenv.
        string? operatorValue = Environment.GetEnvironmentVariable(ArrowAllocator.PurgeDelayVariable);
        using var folder = TempTable.Empty();
        var field = new DataField<string>("s");
        await using (var stream = File.Create(Path.Combine(folder.Path, "one.parquet")))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(field, ["a", "b", "c"]);
        }

        await using var file = await ParquetFile.OpenAsync(new LocalLakeStorage(folder.Path), "one.parquet", default);
        var reader = await file.BatchReaderAsync(default);

        Assert.Equal(3, reader.FileMetaData.NumRows);
        Assert.Equal(operatorValue ?? "0", NativeValue(ArrowAllocator.PurgeDelayVariable));
    }

    private static string? NativeValue(string name) => OperatingSystem.IsWindows()
        ? Environment.GetEnvironmentVariable(name)
        : Marshal.PtrToStringUTF8(GetEnv(name));

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}
