using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Delta.Actions;
using Empower.Sync.Lake.Delta.DeletionVectors;
using Empower.Sync.Lake.Storage;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Lake.Delta;

public sealed class DeletionVectorTests
{
    [Fact]
    public void Z85_decodes_the_reference_vector()
    {
        // The example from the Z85 specification (ZeroMQ RFC 32).
        Assert.Equal(new byte[] { 0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B }, Z85.Decode("HelloWorld"));
        Assert.Throws<FormatException>(() => Z85.Decode("Hell"));
    }

    [Theory]
    [InlineData("table-with-dv-small", new long[] { 0, 9 })]
    [InlineData("cdf-table-with-cdc-and-dvs", new long[] { 0, 1, 2, 3, 4, 6 })]
    public async Task Deleted_row_indexes_match_the_readme(string name, long[] expected)
    {
        var storage = new LocalLakeStorage(TestTables.DeltaPath(name));
        var snapshot = await (await DeltaTable.OpenAsync(storage, CancellationToken.None)).SnapshotAsync();
        var file = snapshot.Files.Single(f => f.DeletionVector is not null);

        var rows = await DeletionVectorLoader.LoadAsync(storage, file.DeletionVector!, file.Path, CancellationToken.None);

        Assert.Equal(expected, rows);
        Assert.StartsWith("deletion_vector_", DeletionVectorLoader.RelativePath(file.DeletionVector!));
    }

    [Fact]
    public async Task Rows_deleted_by_a_vector_are_skipped_and_the_rest_keep_their_file_positions()
    {
        var storage = new LocalLakeStorage(TestTables.DeltaPath("table-with-dv-small"));
        var table = await Sync.Lake.Tables.LakeTableOpener.OpenAsync(storage, Sync.Lake.Tables.TableRequest.Latest);

        var batch = (await TestTables.ReadAllAsync(storage, table)).Single();

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L], batch.RowIndexes);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (object?)i), Enumerable.Range(0, 8).Select(r => batch["value"].GetValue(r)));
    }

    [Fact]
    public async Task An_inline_vector_decodes_like_a_file_one()
    {
        var storage = new LocalLakeStorage(TestTables.DeltaPath("table-with-dv-small"));
        var snapshot = await (await DeltaTable.OpenAsync(storage, CancellationToken.None)).SnapshotAsync();
        var onDisk = snapshot.Files.Single().DeletionVector!;
        byte[] framed = await storage.ReadRangeAsync(DeletionVectorLoader.RelativePath(onDisk), onDisk.Offset!.Value + 4, onDisk.SizeInBytes);

        var inline = new DeletionVectorDescriptor("i", Z85Encode(framed), null, onDisk.SizeInBytes, onDisk.Cardinality);

        long[] rows = await DeletionVectorLoader.LoadAsync(storage, inline, "file", CancellationToken.None);

        Assert.Equal([0L, 9L], rows);
    }

    private static string Z85Encode(byte[] data)
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
        var padded = data.Concat(new byte[(4 - (data.Length % 4)) % 4]).ToArray();
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < padded.Length; i += 4)
        {
            uint value = (uint)(padded[i] << 24 | padded[i + 1] << 16 | padded[i + 2] << 8 | padded[i + 3]);
            var block = new char[5];
            for (int c = 4; c >= 0; c--)
            {
                block[c] = alphabet[(int)(value % 85)];
                value /= 85;
            }

            text.Append(block);
        }

        return text.ToString();
    }
}
