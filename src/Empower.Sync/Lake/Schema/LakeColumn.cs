namespace Empower.Sync.Lake.Schema;

/// <summary>
/// One column of the rows the reader produces. <see cref="Name"/> is the dotted logical path (<c>address.city</c>);
/// <see cref="Path"/> is the chain of schema fields that leads to it.
/// </summary>
public sealed record LakeColumn(string Name, LakeColumnType Type, bool Nullable, IReadOnlyList<LakeField> Path, bool IsPartition = false)
{
    public LakeField Field => Path[^1];

    /// <summary>The column's type in Spark's spelling.</summary>
    public string TypeName => Field.Type.ToString();

    public bool Equals(LakeColumn? other) =>
        other is not null && Name == other.Name && Type == other.Type && Nullable == other.Nullable && IsPartition == other.IsPartition
        && Path.SequenceEqual(other.Path);

    public override int GetHashCode() => HashCode.Combine(Name, Type);
}
