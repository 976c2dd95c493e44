using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Mapping;

/// <summary>Which source column types can fill which Dataverse attribute types (values are still checked row by row).</summary>
internal static class TypeCompatibility
{
    private static readonly LakeColumnType[] Whole = [LakeColumnType.Byte, LakeColumnType.Short, LakeColumnType.Integer, LakeColumnType.Long];
    private static readonly LakeColumnType[] Numbers = [.. Whole, LakeColumnType.Float, LakeColumnType.Double, LakeColumnType.Decimal];

    public static IReadOnlyCollection<LakeColumnType> Accepted(string attributeType) => attributeType switch
    {
        "String" or "Memo" => Enum.GetValues<LakeColumnType>(),
        "Integer" or "BigInt" => [.. Whole, LakeColumnType.Decimal, LakeColumnType.String],
        "Decimal" or "Money" or "Double" => [.. Numbers, LakeColumnType.String],
        "Boolean" => [LakeColumnType.Boolean, .. Whole, LakeColumnType.String],
        "DateTime" => [LakeColumnType.Date, LakeColumnType.Timestamp, LakeColumnType.TimestampNtz, LakeColumnType.String],
        "Picklist" or "State" or "Status" => [.. Whole, LakeColumnType.String],
        "Uniqueidentifier" => [LakeColumnType.String],
        _ => [],
    };
}
