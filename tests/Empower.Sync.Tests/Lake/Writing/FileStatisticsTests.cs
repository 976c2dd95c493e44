using System.Text.Json.Nodes;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Writing;

namespace Empower.Sync.Tests.Lake.Writing;

public sealed class FileStatisticsTests
{
    private static readonly LakeSchema Schema = new(
    [
        new LakeField("id", LakeDataType.Primitive(LakeTypeKind.Integer)),
        new LakeField("big", LakeDataType.Primitive(LakeTypeKind.Long)),
        new LakeField("name", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("amount", LakeDataType.Decimal(19, 4)),
        new LakeField("score", LakeDataType.Primitive(LakeTypeKind.Double)),
        new LakeField("day", LakeDataType.Primitive(LakeTypeKind.Date)),
        new LakeField("at", LakeDataType.Primitive(LakeTypeKind.Timestamp)),
        new LakeField("flag", LakeDataType.Primitive(LakeTypeKind.Boolean)),
    ]);

    [Fact]
    public void Each_column_gets_its_null_count_and_its_smallest_and_largest_value_as_Spark_writes_them()
    {
        object?[][] rows =
        [
            [3, 30L, "beta", 1.5m, 2.5, new DateOnly(2026, 3, 1), new DateTime(2026, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddTicks(15), true],
            [1, null, "alpha", -2.25m, null, new DateOnly(2025, 12, 31), new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc), null],
            [2, -7L, null, 100.0001m, -1.0, null, null, false],
        ];

        var stats = JsonNode.Parse(FileStatistics.Of(Schema, rows))!;

        Assert.Equal(3, (int)stats["numRecords"]!);
        Assert.Equal("""{"id":1,"big":-7,"name":"alpha","amount":-2.25,"score":-1,"day":"2025-12-31","at":"2025-06-01T00:00:00.000Z"}""",
            stats["minValues"]!.ToJsonString());
        // The timestamp's maximum has 1.5 µs past 08:00: rounded up to the next millisecond so it stays an upper bound.
        Assert.Equal("""{"id":3,"big":30,"name":"beta","amount":100.0001,"score":2.5,"day":"2026-03-01","at":"2026-01-01T08:00:00.001Z"}""",
            stats["maxValues"]!.ToJsonString());
        Assert.Equal("""{"id":0,"big":1,"name":1,"amount":0,"score":1,"day":1,"at":1,"flag":1}""", stats["nullCount"]!.ToJsonString());
    }

    [Fact]
    public void Long_strings_keep_a_prefix_as_their_minimum_and_no_maximum_and_not_a_number_leaves_a_column_without_bounds()
    {
        var schema = new LakeSchema([new LakeField("text", LakeDataType.Primitive(LakeTypeKind.String)),
            new LakeField("x", LakeDataType.Primitive(LakeTypeKind.Double))]);
        string longest = new string('z', 40);
        // 31 letters then an emoji (a surrogate pair across the 32nd character): the prefix keeps the pair whole.
        string emoji = new string('a', 31) + "😀tail";

        var stats = JsonNode.Parse(FileStatistics.Of(schema, [[emoji, 1.0], [longest, double.NaN]]))!;

        Assert.Equal(new string('a', 31), (string)stats["minValues"]!["text"]!);
        Assert.Null(stats["maxValues"]!["text"]);
        Assert.Null(stats["minValues"]!["x"]);
        Assert.Equal(0, (int)stats["nullCount"]!["text"]!);
    }

    [Fact]
    public void Strings_are_ordered_by_code_point_as_UTF_8_bytes_are_not_by_UTF_16_units()
    {
        // U+FF21 (one UTF-16 unit, 0xEF 0xBC 0xA1) is below U+1F600 (a surrogate pair, 0xF0 ...) in UTF-8; UTF-16 order says the opposite.
        Assert.True(FileStatistics.CodePointOrder("Ａ", "😀") < 0);
        Assert.True(string.CompareOrdinal("Ａ", "😀") > 0);
        Assert.True(FileStatistics.CodePointOrder("ab", "abc") < 0);
        Assert.Equal(0, FileStatistics.CodePointOrder("same", "same"));
    }
}
