using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Lake.Reading;

/// <summary>The columns a change read adds to the table's: what happened to the row, and in which version.</summary>
internal static class ChangeColumns
{
    public const string ChangeType = "_change_type";
    public const string CommitVersion = "_commit_version";

    public static LakeColumn ChangeTypeColumn { get; } = Column(ChangeType, LakeTypeKind.String, LakeColumnType.String);

    public static LakeColumn CommitVersionColumn { get; } = Column(CommitVersion, LakeTypeKind.Long, LakeColumnType.Long);

    private static LakeColumn Column(string name, LakeTypeKind kind, LakeColumnType type) =>
        new(name, type, false, [new LakeField(name, LakeDataType.Primitive(kind), false)]);
}
