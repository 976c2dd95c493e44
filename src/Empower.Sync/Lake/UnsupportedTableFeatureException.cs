namespace Empower.Sync.Lake;

/// <summary>The table uses a reader feature this reader does not implement, so reading it could return wrong rows.</summary>
internal sealed class UnsupportedTableFeatureException(string table, string feature, string detail)
    : LakeFormatException(
        LakeErrorKind.UnsupportedFeature,
        $"The Delta table '{table}' uses the reader feature '{feature}', which Empower does not support: {detail} See docs/lake.md for the supported features.")
{
    public string Table { get; } = table;

    public string Feature { get; } = feature;
}
