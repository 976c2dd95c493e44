namespace Empower.Sync.Lake.Schema;

/// <summary>A table's logical schema: its top-level fields, nested types intact.</summary>
public sealed record LakeSchema(IReadOnlyList<LakeField> Fields)
{
    public bool Equals(LakeSchema? other) => other is not null && Fields.SequenceEqual(other.Fields);

    public override int GetHashCode() => Fields.Count;
}
