using System.Text.Json;
using Azure.Storage.Blobs;
using Empower.Testing.Azurite;
using Empower.Testing.Lake;

namespace Empower.Cli.Tests;

public sealed class InspectCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Json_output_describes_the_latest_version()
    {
        var (exit, output, _) = await CliRunner.RunAsync("inspect", TestTables.DeltaPath("dv-partitioned-with-checkpoint"), "--json", "--rows", "2");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(15, root.GetProperty("version").GetInt64());
        Assert.Equal(35, root.GetProperty("rowCount").GetInt64());
        Assert.Equal(15, root.GetProperty("fileCount").GetInt32());
        Assert.Equal(["part"], root.GetProperty("partitionColumns").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["part", "col1", "col2"], root.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("integer", root.GetProperty("columns")[0].GetProperty("type").GetString());
        Assert.True(root.GetProperty("columns")[0].GetProperty("nullable").GetBoolean());
        Assert.Equal(2, root.GetProperty("rows").GetArrayLength());
        Assert.Equal("deletionVectors", root.GetProperty("protocol").GetProperty("readerFeatures")[0].GetString());
    }

    [Fact]
    public async Task Time_travel_by_version_and_by_timestamp()
    {
        string table = TestTables.DeltaPath("simple_table");

        var (_, byVersion, _) = await CliRunner.RunAsync("inspect", table, "--version", "1", "--json");
        string committed = JsonDocument.Parse(byVersion).RootElement.GetProperty("timestamp").GetString()!;
        var (_, byTimestamp, _) = await CliRunner.RunAsync("inspect", table, "--timestamp", committed, "--json");

        Assert.Equal(20, JsonDocument.Parse(byVersion).RootElement.GetProperty("rowCount").GetInt64());
        Assert.Equal(1, JsonDocument.Parse(byTimestamp).RootElement.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_single_parquet_file()
    {
        var (exit, output, _) = await CliRunner.RunAsync("inspect", TestTables.ParquetPath("sort_columns.parquet"), "--json");

        Assert.Equal(0, exit);
        Assert.Equal(6, JsonDocument.Parse(output).RootElement.GetProperty("rowCount").GetInt64());
        Assert.Equal("parquet", JsonDocument.Parse(output).RootElement.GetProperty("format").GetString());
    }

    [Fact]
    public async Task A_blob_url_with_the_connection_string_from_the_environment()
    {
        var container = new BlobContainerClient(azurite.ConnectionString, "inspect");
        await container.CreateIfNotExistsAsync();
        string source = TestTables.DeltaPath("cdf-table");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            await container.GetBlobClient("cdf/" + Path.GetRelativePath(source, file).Replace('\\', '/')).UploadAsync(file, overwrite: true);
        }

        var (exit, output, error) = await CliRunner.RunAsync(
            new Dictionary<string, string> { ["Empower__Lake__ConnectionString"] = azurite.ConnectionString },
            "inspect", $"http://127.0.0.1:{azurite.BlobPort}/devstoreaccount1/inspect/cdf", "--json");

        Assert.True(exit == 0, error + output);
        Assert.Equal(9, JsonDocument.Parse(output).RootElement.GetProperty("rowCount").GetInt64());
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("changeDataFeed").GetBoolean());
    }

    [Fact]
    public async Task The_readable_report_shows_schema_rows_and_preview()
    {
        var (exit, output, _) = await CliRunner.RunAsync("inspect", TestTables.DeltaPath("basic_partitioned"), "--rows", "6");

        Assert.Equal(0, exit);
        Assert.Contains("Partition columns", output);
        Assert.Contains("letter", output);
        Assert.Contains("a_float", output);
        Assert.Matches(@"Rows\s*│\s*6", output);
    }

    [Fact]
    public async Task A_path_that_is_not_a_table_fails_with_its_name()
    {
        using var empty = TempTable.Empty();

        var (exit, output, _) = await CliRunner.RunAsync("inspect", empty.Path, "--json");

        Assert.Equal(2, exit);
        Assert.Contains(empty.Path, JsonDocument.Parse(output).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Verify_reads_every_file_and_names_the_ones_a_sync_could_not_read()
    {
        var (okExit, ok, _) = await CliRunner.RunAsync("inspect", TestTables.DeltaPath("table-with-dv-small"), "--verify");
        using var copy = TempTable.Copy("table-with-dv-small");
        // Without --verify the log and footer are all inspect reads, so a missing deletion vector passes.
        File.Delete(copy.File("deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin"));
        var (plainExit, _, _) = await CliRunner.RunAsync("inspect", copy.Path);

        var (exit, output, _) = await CliRunner.RunAsync("inspect", copy.Path, "--verify");
        var (jsonExit, json, _) = await CliRunner.RunAsync("inspect", copy.Path, "--verify", "--json");

        Assert.Equal((0, 0), (okExit, plainExit));
        Assert.Contains("Verified: 1 file read, 8 rows, as the log says.", ok);
        Assert.Equal((3, 3), (exit, jsonExit));
        Assert.Contains("Verification failed: 1 of 1 file.", output);
        Assert.Contains("part-00000-fae5310a-a37d-4e51-827b-c3d5516560ca-c000.snappy.parquet (10 rows)", output);
        Assert.Contains("deletion_vector_61d16c75", output);
        var problem = JsonDocument.Parse(json).RootElement.GetProperty("verification").GetProperty("problems")[0];
        Assert.Equal(10, problem.GetProperty("rows").GetInt64());
        Assert.Contains("deletion_vector_61d16c75", problem.GetProperty("reason").GetString());
    }
}
