using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Writing;

namespace Empower.Testing.Lake;

/// <summary>The people table many tests publish to <c>contact</c>: an email (the key) and a last name, one Delta commit per append.</summary>
public static class PeopleTable
{
    public static readonly LakeSchema Schema = new(
    [
        new LakeField("email", LakeDataType.Primitive(LakeTypeKind.String)),
        new LakeField("last_name", LakeDataType.Primitive(LakeTypeKind.String)),
    ]);

    /// <summary>Commits rows <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> − 1: <c>p{i}@example.com</c>, last name
    /// <c>L{i}</c> unless <paramref name="lastName"/> gives one.</summary>
    public static Task<long> AppendAsync(string folder, int from, int count, Func<int, string>? lastName = null) =>
        new DeltaAppendWriter(new LocalLakeStorage(folder), Schema, TimeProvider.System)
            .AppendAsync([.. Enumerable.Range(from, count).Select(i => new object?[] { $"p{i}@example.com", lastName?.Invoke(i) ?? $"L{i}" })], "WRITE");
}
