using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Mapping;

namespace Empower.Sync.Tests.Mapping;

public sealed class ValueConverterTests
{
    private static AttributeMap Map(string type, int? maxLength = null, int? precision = null, decimal? min = null, decimal? max = null,
        string? behavior = null, IReadOnlyDictionary<string, int>? choices = null, string? bindSet = null) =>
        new(null, null, new AttributeMetadata("attr", type, "None", maxLength, precision, min, max, behavior, [],
            [new ChoiceOption(1, "Small"), new ChoiceOption(2, "Large")], false), "attr", choices, bindSet, bindSet is null ? null : "code");

    /// <summary>Strings as their text (JSON would escape the quotes), other values as JSON.</summary>
    private static string? Json(object value, AttributeMap map) =>
        ValueConverter.Convert(value, map).Value is { } node
            ? node.GetValueKind() == System.Text.Json.JsonValueKind.String ? $"\"{node.GetValue<string>()}\"" : node.ToJsonString()
            : null;

    private static string? Error(object value, AttributeMap map) => ValueConverter.Convert(value, map).Error;

    [Fact]
    public void Text_respects_the_attribute_length()
    {
        Assert.Equal("\"abc\"", Json("abc", Map("String", maxLength: 3)));
        Assert.Equal("the value has 4 characters; attribute 'attr' holds at most 3", Error("abcd", Map("String", maxLength: 3)));
        Assert.Equal("\"42\"", Json(42L, Map("Memo")));
    }

    [Fact]
    public void Numbers_are_range_checked_and_rounded_to_the_precision()
    {
        Assert.Equal("12.35", Json(12.345m, Map("Money", precision: 2)));
        Assert.Equal("7", Json(7L, Map("Integer", min: 0, max: 10)));
        Assert.Contains("outside 0..10", Error(11, Map("Integer", min: 0, max: 10)));
        Assert.Contains("not a whole number", Error(1.5m, Map("Integer")));
        Assert.Contains("cannot be converted to Integer", Error("many", Map("Integer")));
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Doubles_that_json_cannot_hold_are_refused_with_the_value(double value, string shown)
    {
        Assert.Equal($"the value {shown} is not a finite number; attribute 'attr' (Double) holds only finite numbers, and JSON has no NaN or infinity",
            Error(value, Map("Double")));
        Assert.Equal($"the value {shown} is not a finite number; attribute 'attr' (Double) holds only finite numbers, and JSON has no NaN or infinity",
            Error((float)value, Map("Double")));
        Assert.Contains("cannot be converted to Decimal", Error(value, Map("Decimal")));
    }

    [Fact]
    public void Doubles_are_range_checked_and_rounded_to_the_precision()
    {
        Assert.Equal("0.1235", Json(0.12345, Map("Double", precision: 4, min: 0, max: 1)));
        Assert.Equal("the value 1.5 is outside 0..1, the range of attribute 'attr'", Error(1.5, Map("Double", precision: 4, min: 0, max: 1)));
        Assert.Equal("2.5", Json("2.5", Map("Double")));
    }

    [Fact]
    public void Text_with_the_replacement_character_is_refused_as_not_utf8()
    {
        Assert.Equal(
            "the text holds U+FFFD (the replacement character) at character 3: the value in the file is not valid UTF-8, or was damaged before it reached " +
                "the lake; attribute 'attr' would store different text",
            Error("caf\uFFFD", Map("String")));
        Assert.Contains("U+FFFD", Error("x\uFFFD", Map("String", bindSet: "accounts")));
        Assert.Equal("\"café\"", Json("café", Map("String")));
    }

    [Fact]
    public void Dates_before_1753_are_refused()
    {
        Assert.Equal("the date 1700-05-01 is before 1753-01-01, the earliest date attribute 'attr' can hold", Error(new DateOnly(1700, 5, 1), Map("DateTime")));
        Assert.Equal("\"1753-01-01T00:00:00Z\"", Json(new DateTime(1753, 1, 1, 0, 0, 0, DateTimeKind.Utc), Map("DateTime")));
    }

    [Fact]
    public void Dates_go_in_utc_and_date_only_attributes_get_the_date()
    {
        var ts = new DateTime(2024, 3, 1, 22, 30, 0, DateTimeKind.Utc);

        Assert.Equal("\"2024-03-01T22:30:00Z\"", Json(ts, Map("DateTime")));
        Assert.Equal("\"2024-03-01\"", Json(ts, Map("DateTime", behavior: "DateOnly")));
        Assert.Equal("\"2024-03-01\"", Json(new DateOnly(2024, 3, 1), Map("DateTime", behavior: "DateOnly")));
    }

    [Fact]
    public void Choices_take_values_labels_or_a_label_map()
    {
        Assert.Equal("2", Json(2, Map("Picklist")));
        Assert.Equal("2", Json("large", Map("Picklist")));
        Assert.Equal("1", Json("S", Map("Picklist", choices: new Dictionary<string, int> { ["S"] = 1 })));
        Assert.Contains("is not a choice of attribute 'attr' (choices: 1 = Small, 2 = Large)", Error(3, Map("Picklist")));
    }

    [Fact]
    public void Lookups_bind_by_the_related_key_and_booleans_read_text()
    {
        Assert.Equal("\"/accounts(code='O''Neil')\"", Json("O'Neil", Map("Lookup", bindSet: "accounts")));
        Assert.Equal("\"/accounts(code=12)\"", Json(12, Map("Lookup", bindSet: "accounts")));
        Assert.Equal("true", Json("true", Map("Boolean")));
        Assert.Equal("false", Json(0, Map("Boolean")));
    }
}
