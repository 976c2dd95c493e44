using Empower.Sync.Lake;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Lake.Delta;

/// <summary>Damaged or unsupported tables fail with an error that names the file (or feature); never partial results.</summary>
public sealed class BadInputTests
{
    private static async Task<LakeFormatException> ReadFailsAsync(string path, TableRequest? request = null)
    {
        var storage = new LocalLakeStorage(path);
        return await Assert.ThrowsAnyAsync<LakeFormatException>(async () =>
        {
            var table = await LakeTableOpener.OpenAsync(storage, request ?? TableRequest.Latest);
            await TestTables.ReadAllAsync(storage, table);
        });
    }

    [Fact]
    public async Task A_missing_commit()
    {
        using var copy = TempTable.Copy("simple_table");
        File.Delete(copy.File("_delta_log/00000000000000000002.json"));

        var ex = await ReadFailsAsync(copy.Path);

        Assert.Equal(LakeErrorKind.MissingCommit, ex.Kind);
        Assert.Contains("00000000000000000002.json", ex.Message);
    }

    [Fact]
    public async Task A_truncated_commit()
    {
        using var copy = TempTable.Copy("simple_table");
        string commit = copy.File("_delta_log/00000000000000000004.json");
        var text = File.ReadAllText(commit);
        File.WriteAllText(commit, text[..(text.Length - 40)]);

        var ex = await ReadFailsAsync(copy.Path);

        Assert.Equal(LakeErrorKind.CorruptCommit, ex.Kind);
        Assert.Contains("00000000000000000004.json", ex.Message);
    }

    [Fact]
    public async Task A_corrupt_checkpoint()
    {
        using var copy = TempTable.Copy("basic-with-inserts-deletes-checkpoint");
        string checkpoint = copy.File("_delta_log/00000000000000000010.checkpoint.parquet");
        File.WriteAllBytes(checkpoint, File.ReadAllBytes(checkpoint)[..^100]);

        var ex = await ReadFailsAsync(copy.Path);

        Assert.Equal(LakeErrorKind.CorruptCheckpoint, ex.Kind);
        Assert.Contains("00000000000000000010.checkpoint.parquet", ex.Message);
    }

    [Fact]
    public async Task A_truncated_parquet_file()
    {
        using var copy = TempTable.Copy("table-with-dv-small");
        string data = copy.File("part-00000-fae5310a-a37d-4e51-827b-c3d5516560ca-c000.snappy.parquet");
        File.WriteAllBytes(data, File.ReadAllBytes(data)[..^30]);

        var ex = await ReadFailsAsync(copy.Path);

        Assert.Equal(LakeErrorKind.CorruptDataFile, ex.Kind);
        Assert.Contains("part-00000-fae5310a", ex.Message);
    }

    [Fact]
    public async Task A_footer_whose_row_group_claims_one_row_more_than_the_file_never_yields_a_made_up_row()
    {
        using var lake = TempTable.Empty();
        var storage = new LocalLakeStorage(lake.Path);
        var schema = new Empower.Sync.Lake.Schema.LakeSchema([new("name",
            Empower.Sync.Lake.Schema.LakeDataType.Primitive(Empower.Sync.Lake.Schema.LakeTypeKind.String))]);
        await new Empower.Sync.Lake.Writing.DeltaAppendWriter(storage, schema,
            TimeProvider.System).AppendAsync([.. Enumerable.Range(0, 98).Select(i => new object?[] { $"n{i}" })], "WRITE");
        string data = Directory.GetFiles(lake.Path, "*.parquet").Single();
        byte[] bytes = File.ReadAllBytes(data);
        int footerLength = BitConverter.ToInt32(bytes, bytes.Length - 8);
        int footer = bytes.Length - 8 - footerLength;
        // Thrift compact: an i64 field one id after the last (0x16) holding 98 (zigzag varint C4 01). The last such
        // field of the footer is the row group's num_rows; make it 99.
        int at = -1;
        for (int i = footer; i < bytes.Length - 10; i++)
        {
            if (bytes[i] == 0x16 && bytes[i + 1] == 0xC4 && bytes[i + 2] == 0x01)
            {
                at = i;
            }
        }

        Assert.True(at > 0);
        bytes[at + 1] = 0xC6;
        File.WriteAllBytes(data, bytes);

        var ex = await ReadFailsAsync(lake.Path);

        Assert.Equal(LakeErrorKind.CorruptDataFile, ex.Kind);
        Assert.Contains(Path.GetFileName(data), ex.Message);
        Assert.Contains("its row groups hold 99", ex.Message);
    }

    [Fact]
    public async Task A_missing_data_file_names_it()
    {
        using var copy = TempTable.Copy("table-with-dv-small");
        File.Delete(copy.File("part-00000-fae5310a-a37d-4e51-827b-c3d5516560ca-c000.snappy.parquet"));

        var ex = await ReadFailsAsync(copy.Path);

        Assert.Equal(LakeErrorKind.MissingDataFile, ex.Kind);
        Assert.IsType<LakeFileNotFoundException>(ex.InnerException);
        Assert.Contains("part-00000-fae5310a", ex.Message);
    }

    [Fact]
    public async Task A_missing_deletion_vector()
    {
        using var copy = TempTable.Copy("table-with-dv-small");
        File.Delete(copy.File("deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin"));

        var ex = await ReadFailsAsync(copy.Path);

        Assert.Equal(LakeErrorKind.MissingDeletionVector, ex.Kind);
        Assert.Contains("deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin", ex.Message);
    }

    [Fact]
    public async Task A_corrupt_deletion_vector()
    {
        using var copy = TempTable.Copy("table-with-dv-small");
        string dv = copy.File("deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin");
        var bytes = File.ReadAllBytes(dv);
        bytes[12] ^= 0xFF;
        File.WriteAllBytes(dv, bytes);

        var ex = await ReadFailsAsync(copy.Path);

        Assert.Equal(LakeErrorKind.CorruptDeletionVector, ex.Kind);
        Assert.Contains("deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin", ex.Message);
    }

    [Fact]
    public async Task A_folder_that_is_neither_delta_nor_parquet()
    {
        using var empty = TempTable.Empty();
        File.WriteAllText(Path.Combine(empty.Path, "readme.txt"), "not data");

        var ex = await ReadFailsAsync(empty.Path);

        Assert.Equal(LakeErrorKind.TableNotFound, ex.Kind);
        Assert.True(ex.IsInputError);
        Assert.Contains(empty.Path, ex.Message);
    }

    [Theory]
    [InlineData("{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"deletionVectors\",\"variantType\"],\"writerFeatures\":[]}}", "variantType")]
    [InlineData("{\"protocol\":{\"minReaderVersion\":4,\"minWriterVersion\":7}}", "readerVersion 4")]
    public async Task An_unsupported_reader_feature_is_refused_by_name(string protocol, string feature)
    {
        using var copy = TempTable.Copy("table-with-dv-small");
        File.AppendAllText(copy.File("_delta_log/00000000000000000001.json"), protocol + "\n");

        var ex = await ReadFailsAsync(copy.Path);

        var unsupported = Assert.IsType<UnsupportedTableFeatureException>(ex);
        Assert.Equal(LakeErrorKind.UnsupportedFeature, ex.Kind);
        Assert.False(ex.IsInputError);
        Assert.Equal(feature, unsupported.Feature);
        Assert.Contains(copy.Path, ex.Message);
    }

    [Fact]
    public async Task A_version_that_does_not_exist()
    {
        var ex = await ReadFailsAsync(TestTables.DeltaPath("simple_table"), new TableRequest(Version: 9));

        Assert.Equal(LakeErrorKind.VersionNotFound, ex.Kind);
        Assert.True(ex.IsInputError);
        Assert.Contains("up to 4", ex.Message);
    }
}
