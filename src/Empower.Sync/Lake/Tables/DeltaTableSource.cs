using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Delta.Actions;
using Empower.Sync.Lake.Schema;

namespace Empower.Sync.Lake.Tables;

/// <summary>Turns Delta snapshots and changes into <see cref="LakeTable"/>s and <see cref="SourceFile"/>s.</summary>
internal static class DeltaTableSource
{
    public static LakeTable From(DeltaSnapshot snapshot) =>
        new(snapshot.Table, LakeSourceFormat.Delta, snapshot.Schema, snapshot.Metadata.PartitionColumns,
            snapshot.Files.Select(f => ToSourceFile(f, snapshot.Schema)).ToList(), snapshot);

    public static SourceFile ToSourceFile(AddFile add, LakeSchema schema) =>
        new(add.Path, add.Size, LogicalPartitionValues(add.PartitionValues, schema), add.DeletionVector, add.NumRecords);

    /// <summary>
    /// The files whose rows make up the changes of <paramref name="changes"/>: a commit's Change Data Feed files when it
    /// wrote any; otherwise its added files as inserts and its removed files as deletes (what Change Data Feed means
    /// for commits that only add or remove whole files).
    /// </summary>
    public static IReadOnlyList<SourceFile> ChangeFiles(IEnumerable<DeltaVersionChanges> changes, LakeSchema schema)
    {
        var files = new List<SourceFile>();
        foreach (var version in changes)
        {
            if (version.ChangeData.Count > 0)
            {
                files.AddRange(version.ChangeData.Select(c =>
                    new SourceFile(c.Path, c.Size, LogicalPartitionValues(c.PartitionValues, schema), ChangeType: SourceFile.ChangeDataFile,
                        CommitVersion: version.Version)));
                continue;
            }

            files.AddRange(version.Added.Where(a => a.DataChange).Select(a =>
                ToSourceFile(a, schema) with { ChangeType = "insert", CommitVersion = version.Version }));
            files.AddRange(version.Removed.Where(r => r.DataChange).Select(r =>
                new SourceFile(r.Path, r.Size, LogicalPartitionValues(r.PartitionValues, schema), r.DeletionVector, ChangeType: "delete",
                    CommitVersion: version.Version)));
        }

        return files;
    }

    /// <summary>The log keys partition values by physical column name; readers want logical names.</summary>
    private static Dictionary<string, string?> LogicalPartitionValues(IReadOnlyDictionary<string, string?> values, LakeSchema schema)
    {
        var logical = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in schema.Fields)
        {
            if (values.TryGetValue(field.PhysicalName, out var value) || values.TryGetValue(field.Name, out value))
            {
                logical[field.Name] = value;
            }
        }

        return logical;
    }
}
