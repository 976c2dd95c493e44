using Empower.Sync.Lake.Schema;
using Parquet.Schema;

namespace Empower.Sync.Lake.Parquet;

/// <summary>
/// Finds the Parquet field that stores a logical field: by field id when the table uses column mapping mode
/// <c>id</c> (falling back to the physical name), otherwise by physical name (the logical name when mapping is off).
/// </summary>
internal sealed class FieldMatcher(bool matchById)
{
    public static FieldMatcher ByName { get; } = new(false);

    public Field? Find(IEnumerable<Field> candidates, LakeField logical)
    {
        var list = candidates as IReadOnlyList<Field> ?? candidates.ToList();
        if (matchById && logical.FieldId is { } id)
        {
            var byId = list.FirstOrDefault(f => f.SchemaElement?.FieldId == id);
            if (byId is not null)
            {
                return byId;
            }
        }

        return list.FirstOrDefault(f => string.Equals(f.Name, logical.PhysicalName, StringComparison.Ordinal));
    }
}
