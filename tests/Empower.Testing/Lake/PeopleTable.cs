using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Writing;

namespace Empower.Testing.Lake;

/// <summary>The people table many tests publish to <c>contact</c>: an email (the key) and a last name, one Delta commit per append.</summary>
public static class PeopleTable
{
    public static readonly LakeSchema Schema = With();

    /// <summary>The people schema followed by <paramref name="more"/> columns, for tests that publish more attributes.</summary>
    public static LakeSchema With(params LakeField[] more) => new([Column("email", LakeTypeKind.String), Column("last_name", LakeTypeKind.String), .. more]);

    public static LakeField Column(string name, LakeTypeKind kind) => new(name, LakeDataType.Primitive(kind));

    /// <summary>Commits rows <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> − 1: <c>p{i}@example.com</c>, last name
    /// <c>L{i}</c> unless <paramref name="lastName"/> gives one.</summary>
    public static Task<long> AppendAsync(string folder, int from, int count, Func<int, string>? lastName = null) =>
        new DeltaAppendWriter(new LocalLakeStorage(folder), Schema, TimeProvider.System)
            .AppendAsync([.. Enumerable.Range(from, count).Select(i => new object?[] { $"p{i}@example.com", lastName?.Invoke(i) ?? $"L{i}" })], "WRITE");
}
