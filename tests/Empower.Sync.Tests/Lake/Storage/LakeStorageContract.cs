using System.Text;
using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Tests.Lake.Storage;

/// <summary>The same behaviour asked of every lake storage: a local folder and a blob container.</summary>
public abstract class LakeStorageContract
{
    protected abstract Task<ILakeStorage> CreateAsync();

    [Fact]
    public async Task Listing_is_recursive_prefix_filtered_and_in_ordinal_order()
    {
        var storage = await CreateAsync();
        foreach (var path in new[] { "t/_delta_log/00000000000000000001.json", "t/_delta_log/00000000000000000000.json", "t/part-1.parquet",
            "t/letter=a/part-0.parquet", "other/x" })
        {
            Assert.True(await storage.WriteIfAbsentAsync(path, Encoding.UTF8.GetBytes(path)));
        }

        var log = await Collect(storage.ListAsync("t/_delta_log/"));
        var table = await Collect(storage.ListAsync("t/"));
        var partial = await Collect(storage.ListAsync("t/part-"));

        Assert.Equal(["t/_delta_log/00000000000000000000.json", "t/_delta_log/00000000000000000001.json"], log.Select(f => f.Path));
        Assert.Equal(4, table.Count);
        Assert.Equal(table.Select(f => f.Path).Order(StringComparer.Ordinal), table.Select(f => f.Path));
        Assert.Equal(["t/part-1.parquet"], partial.Select(f => f.Path));
        Assert.Equal("t/part-1.parquet".Length, partial[0].Size);
        Assert.Empty(await Collect(storage.ListAsync("missing/")));
    }

    [Fact]
    public async Task Write_if_absent_refuses_the_second_writer_and_keeps_the_first_content()
    {
        var storage = await CreateAsync();

        bool first = await storage.WriteIfAbsentAsync("c/_delta_log/00000000000000000007.json", "first"u8.ToArray());
        bool second = await storage.WriteIfAbsentAsync("c/_delta_log/00000000000000000007.json", "second"u8.ToArray());
        using var reader = new StreamReader(await storage.OpenReadAsync("c/_delta_log/00000000000000000007.json"));

        Assert.True(first);
        Assert.False(second);
        Assert.Equal("first", await reader.ReadToEndAsync());
    }

    [Theory]
    [InlineData("../outside.json")]
    [InlineData("runs/../../outside.json")]
    public async Task A_path_that_leaves_the_root_is_refused_for_reads_and_writes(string path)
    {
        var storage = await CreateAsync();

        var write = await Assert.ThrowsAsync<ArgumentException>(() => storage.WriteIfAbsentAsync(path, "x"u8.ToArray()));
        var replace = await Assert.ThrowsAsync<ArgumentException>(() => storage.WriteAsync(path, "x"u8.ToArray()));
        var read = await Assert.ThrowsAsync<ArgumentException>(() => storage.OpenReadAsync(path));

        Assert.All(new[] { write, replace, read }, e => Assert.Contains($"The path '{path}' leaves the storage folder", e.Message));
    }

    [Fact]
    public async Task Write_creates_or_replaces_the_file_and_leaves_nothing_else()
    {
        var storage = await CreateAsync();

        await storage.WriteAsync("w/runs/r1/report.json", "first"u8.ToArray());
        await storage.WriteAsync("w/runs/r1/report.json", "second, longer"u8.ToArray());
        using var reader = new StreamReader(await storage.OpenReadAsync("w/runs/r1/report.json"));

        Assert.Equal("second, longer", await reader.ReadToEndAsync());
        Assert.Equal(["w/runs/r1/report.json"], (await Collect(storage.ListAsync("w/"))).Select(f => f.Path));
    }

    [Fact]
    public async Task Ranged_reads_return_the_bytes_asked_for_and_stop_at_the_end()
    {
        var storage = await CreateAsync();
        await storage.WriteIfAbsentAsync("r/file.bin", Enumerable.Range(0, 100).Select(i => (byte)i).ToArray());

        var middle = await storage.ReadRangeAsync("r/file.bin", 10, 5);
        var tail = await storage.ReadRangeAsync("r/file.bin", 96, 10);

        Assert.Equal(new byte[] { 10, 11, 12, 13, 14 }, middle);
        Assert.Equal(new byte[] { 96, 97, 98, 99 }, tail);
    }

    [Fact]
    public async Task Missing_files_fail_with_their_full_location()
    {
        var storage = await CreateAsync();

        var open = await Assert.ThrowsAsync<LakeFileNotFoundException>(() => storage.OpenReadAsync("nope/_delta_log/00000000000000000003.json"));
        var range = await Assert.ThrowsAsync<LakeFileNotFoundException>(() => storage.ReadRangeAsync("nope/data.parquet", 0, 8));

        Assert.EndsWith("nope/_delta_log/00000000000000000003.json", open.Location);
        Assert.Equal(storage.Describe("nope/data.parquet"), range.Location);
        Assert.False(await storage.ExistsAsync("nope/data.parquet"));
    }

    private static async Task<List<LakeFile>> Collect(IAsyncEnumerable<LakeFile> files)
    {
        var list = new List<LakeFile>();
        await foreach (var file in files)
        {
            list.Add(file);
        }

        return list;
    }
}
