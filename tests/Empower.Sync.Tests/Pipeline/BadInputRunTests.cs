using System.Text;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Writing;
using Empower.Sync.Pipeline.Contracts;
using Empower.Testing.Emulator;
using Empower.Testing.Jobs;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Pipeline;

/// <summary>
/// A lake of values Dataverse cannot hold, or should not get, next to values it must store exactly: each bad row is a
/// prepare failure naming its row, column, attribute and reason, the good rows land, and the run still succeeds with
/// counts that add up.
/// </summary>
[Trait("Category", "Pipeline")]
public sealed class BadInputRunTests
{
    private static readonly LakeSchema Lines = new(
    [
        new LakeField("order", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("line", LakeDataType.Primitive(LakeTypeKind.Integer)),
        new LakeField("name", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("quantity", LakeDataType.Primitive(LakeTypeKind.Double)),
        new LakeField("discount", LakeDataType.Primitive(LakeTypeKind.Double)),
        new LakeField("shipped_on", LakeDataType.Primitive(LakeTypeKind.Timestamp)),
    ]);

    private static readonly DateTime Shipped = new(2024, 5, 1, 8, 0, 0, DateTimeKind.Utc);

    /// <summary>Stands for text whose bytes in the file are made invalid UTF-8 after writing (é is C3 A9; C3 28 is not UTF-8).</summary>
    private const string NotUtf8 = "BAD-é-UTF8";

    private const string OddKey = "SO-'%/#ü€ ?&+";

    /// <summary>Row by row: the values, then the attribute and reason of the failure (null: the row is written).</summary>
    private static readonly (object?[] Row, string? Failure)[] Cases =
    [
        (["SO-1", 1, "good", 2.0, 0.25, Shipped], null),
        (["SO-2", 1, "nan", 1.0, double.NaN, Shipped], "discount → empower_discount: the value NaN is not a finite number"),
        (["SO-3", 1, "inf", 1.0, double.PositiveInfinity, Shipped], "discount → empower_discount: the value Infinity is not a finite number"),
        (["SO-4", 1, "-inf", 1.0, double.NegativeInfinity, Shipped], "discount → empower_discount: the value -Infinity is not a finite number"),
        (["SO-5", 1, "too much off", 1.0, 1.5, Shipped], "discount → empower_discount: the value 1.5 is outside 0..1"),
        (["SO-6", 1, "nan quantity", double.NaN, 0.1, Shipped], "quantity → empower_quantity: the value 'NaN' cannot be converted to Decimal"),
        (["SO-7", 1, "huge quantity", 2e9, 0.1, Shipped], "quantity → empower_quantity: the value 2000000000 is outside 0..1000000000"),
        (["SO-8", 0, "line zero", 1.0, 0.1, Shipped], "line → empower_linenumber: the value 0 is outside 1..100000"),
        (["SO-9", 1, new string('x', 1_000_000), 1.0, 0.1, Shipped],
            "name → empower_name: the value has 1000000 characters; attribute 'empower_name' holds at most 100"),
        (["SO-10", 1, NotUtf8, 1.0, 0.1, Shipped], "name → empower_name: the text holds U+FFFD (the replacement character) at character 4"),
        (["", 1, "empty key", 1.0, 0.1, Shipped], "order → empower_ordernumber: the key column holds empty text"),
        (["   ", 1, "blank key", 1.0, 0.1, Shipped], "order → empower_ordernumber: the key column holds only white space"),
        ([null, 1, "null key", 1.0, 0.1, Shipped], "order → empower_ordernumber: the key column is empty"),
        ([OddKey, 1, "odd key", 1.0, 0.1, Shipped], null),
        (["SO-14", 1, "too early", 1.0, 0.1, new DateTime(1700, 1, 1, 0, 0, 0, DateTimeKind.Utc)],
            "shipped_on → empower_shippedon: the date 1700-01-01 is before 1753-01-01"),
        (["so-case", 1, "first", 1.0, 0.1, Shipped], null),
        (["SO-CASE", 1, "last", 1.0, 0.1, Shipped], null),
    ];

    private static JobDefinition Job(string source, string mode) => JobDefinitionLoader.Parse($$"""
        { "name": "lines", "source": { "path": "{{source}}" }, "target": { "table": "empower_salesorderline" }, "mode": "{{mode}}",
          "match": { "key": ["empower_ordernumber", "empower_linenumber"] },
          "columns": [
            { "source": "order", "attribute": "empower_ordernumber" }, { "source": "line", "attribute": "empower_linenumber" },
            { "source": "name", "attribute": "empower_name" }, { "source": "quantity", "attribute": "empower_quantity" },
            { "source": "discount", "attribute": "empower_discount" }, { "source": "shipped_on", "attribute": "empower_shippedon" } ] }
        """, "lines.json");

    /// <summary>Writes the cases as one data file and breaks the UTF-8 of <see cref="NotUtf8"/> in place.</summary>
    private static async Task WriteLakeAsync(string folder)
    {
        await new DeltaAppendWriter(new LocalLakeStorage(folder), Lines, TimeProvider.System).AppendAsync([.. Cases.Select(c => c.Row)], "WRITE");
        string file = Directory.GetFiles(folder, "*.parquet").Single();
        byte[] bytes = File.ReadAllBytes(file);
        byte[] good = Encoding.UTF8.GetBytes(NotUtf8);
        byte[] bad = [.. good];
        bad[Array.IndexOf(good, (byte)0xC3) + 1] = 0x28;
        int found = 0;
        for (int at = 0; at <= bytes.Length - good.Length; at++)
        {
            if (bytes.AsSpan(at, good.Length).SequenceEqual(good))
            {
                bad.CopyTo(bytes, at);
                found++;
            }
        }

        Assert.True(found > 0, "the marker text should be stored verbatim (snappy keeps short unique text as a literal)");
        File.WriteAllBytes(file, bytes);
    }

    [Theory]
    [InlineData("upsert")]
    [InlineData("insert")]
    public async Task Every_bad_value_is_a_prepare_failure_with_its_row_column_and_reason_and_good_values_land_exactly(string mode)
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        await WriteLakeAsync(lake.Path);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await PipelineHost.StartAsync(server, state.Path);

        var summary = await PipelineHost.RunAsync(host, Job(lake.Path, mode), "bad");

        int failures = Cases.Count(c => c.Failure is not null);
        Assert.Equal(RunStatus.RowsFailed, summary.Status);
        Assert.Equal((17L, 3L, (long)failures, 1L), (summary.Read, summary.Written, summary.Failed, summary.Superseded));
        Assert.Equal(summary.Read, summary.Rows.Accounted);
        var failed = (await new FailedRowsTable(new LocalLakeStorage(Path.Combine(state.Path, "lines", "failed_rows")), TimeProvider.System).ReadAsync("bad"))
            .ToDictionary(f => f.RowIndex);
        Assert.Equal(failures, failed.Count);
        for (int row = 0; row < Cases.Length; row++)
        {
            if (Cases[row].Failure is { } reason)
            {
                Assert.Equal(FailureStage.Prepare, failed[row].Stage);
                Assert.Contains(reason, failed[row].ErrorMessage);
                Assert.EndsWith(".parquet", failed[row].SourceFile, StringComparison.Ordinal);
                // The key is recorded whenever its own columns convert (the row can be found, and seen written later).
                bool keyFailed = reason.StartsWith("order →", StringComparison.Ordinal) || reason.StartsWith("line →", StringComparison.Ordinal);
                Assert.True(keyFailed == failed[row].RowKey is null, $"row {row}: key {failed[row].RowKey ?? "null"}");
                if (mode == "upsert" && !keyFailed)
                {
                    Assert.Equal($"\"{Cases[row].Row[0]}\"|{Cases[row].Row[1]}", failed[row].RowKey);
                }
            }
            else
            {
                Assert.False(failed.ContainsKey(row), $"row {row} should have been written: {failed.GetValueOrDefault(row)?.ErrorMessage}");
            }
        }

        using var emulator = await EmulatorClient.ConnectAsync(server);
        var records = JsonNode.Parse(await (await emulator.GetAsync(
            "empower_salesorderlines?$select=empower_ordernumber,empower_linenumber,empower_name,empower_discount,empower_shippedon")).Content.ReadAsStringAsync())!["value"]!.AsArray();
        var stored = records.ToDictionary(r => (string)r!["empower_ordernumber"]!,
            r => ((string?)r!["empower_name"], (double?)r["empower_discount"], (string?)r["empower_shippedon"]));
        Assert.Equal(3, stored.Count);
        Assert.Equal(("good", 0.25, "2024-05-01T08:00:00Z"), stored["SO-1"]);
        Assert.Equal("odd key", stored[OddKey].Item1);
        Assert.Equal("last", stored.Single(s => s.Key.Equals("so-case", StringComparison.OrdinalIgnoreCase)).Value.Item1);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_fails_its_rows_with_the_reason_and_the_rest_of_the_partition_lands()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        for (int f = 0; f < 3; f++)
        {
            await PeopleTable.AppendAsync(lake.Path, f * 50, 50);
        }

        var files = Directory.GetFiles(lake.Path, "*.parquet").Order(StringComparer.Ordinal).ToArray();
        var versions = files.ToDictionary(f => f, f => Directory.GetFiles(Path.Combine(lake.Path, "_delta_log"),
            "*.json").Single(c => File.ReadAllText(c).Contains(Path.GetFileName(f))));
        string missing = versions.Single(v => v.Value.EndsWith("0001.json", StringComparison.Ordinal)).Key;
        string corrupt = versions.Single(v => v.Value.EndsWith("0002.json", StringComparison.Ordinal)).Key;
        File.Delete(missing);
        byte[] bytes = File.ReadAllBytes(corrupt);
        // The first page header of the first column chunk, just after the leading magic bytes.
        Array.Fill(bytes, (byte)0xFF, 4, 24);
        File.WriteAllBytes(corrupt, bytes);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        await using var host = await PipelineHost.StartAsync(server, state.Path);

        var summary = await PipelineHost.RunAsync(host, new PeopleJob(lake.Path).Definition, "lost");

        Assert.Equal(RunStatus.RowsFailed, summary.Status);
        Assert.Equal(1, summary.Partitions);
        Assert.Equal((150L, 50L, 100L), (summary.Read, summary.Written, summary.Failed));
        Assert.Equal(summary.Read, summary.Rows.Accounted);
        var failed = await new FailedRowsTable(new LocalLakeStorage(Path.Combine(state.Path, "people", "failed_rows")), TimeProvider.System).ReadAsync("lost");
        Assert.All(failed, f => Assert.Equal((FailureStage.Read, (string?)null), (f.Stage, f.RowKey)));
        var byFile = failed.GroupBy(f => Path.GetFileName(f.SourceFile)).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), byFile[Path.GetFileName(missing)].Select(f => f.RowIndex).Order());
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), byFile[Path.GetFileName(corrupt)].Select(f => f.RowIndex).Order());
        Assert.Contains("does not exist", byFile[Path.GetFileName(missing)][0].ErrorMessage);
        Assert.Contains($"Cannot read column 'email' of", byFile[Path.GetFileName(corrupt)][0].ErrorMessage);
        Assert.Contains("row group 0", byFile[Path.GetFileName(corrupt)][0].ErrorMessage);
        using var emulator = await EmulatorClient.ConnectAsync(server);
        Assert.Equal(50, (int)(await emulator.StatsAsync())["tables"]!["contact"]!["records"]!);
        // The run finished: only its failed rows are left to fix, in the lake (then sync with --full).
        Assert.True(Directory.Exists(Path.Combine(state.Path, "people", "watermarks")));
    }
}
