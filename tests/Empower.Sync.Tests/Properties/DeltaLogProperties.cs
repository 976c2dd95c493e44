using CsCheck;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Lake.Writing;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Properties;

/// <summary>
/// Log replay against a model: random sequences of commits that add and remove files give, at every version, exactly
/// the files the model holds then (checkpoints are covered by the Spark- and Databricks-written test tables).
/// </summary>
public sealed class DeltaLogProperties
{
    private static readonly LakeSchema Schema = new([new LakeField("n", LakeDataType.Primitive(LakeTypeKind.Long))]);

    [Fact]
    public async Task Every_version_replays_to_the_files_the_model_holds()
    {
        // Each commit: how many files to add (0-3) and which of the live files to remove (by position, modulo).
        var commits = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 5].List[0, 3]).List[1, 12];
        await commits.SampleAsync(async plan =>
        {
            using var folder = TempTable.Empty();
            var storage = new LocalLakeStorage(folder.Path);
            var writer = new DeltaAppendWriter(storage, Schema, TimeProvider.System);
            var live = new List<string>();
            var modelAt = new List<HashSet<string>>();
            int next = 0;
            foreach (var (adds, removes) in plan)
            {
                var removed = removes.Where(_ => live.Count > 0).Select(r => live[r % live.Count]).Distinct().ToList();
                var added = new List<DataFile>();
                for (int a = 0; a < adds; a++)
                {
                    added.Add(await writer.WriteFileAsync($"part-{next++:D4}.snappy.parquet", [[(long)next]]));
                }

                await writer.CommitAsync(added, removed, "WRITE");
                live = [.. live.Except(removed), .. added.Select(f => f.Path)];
                modelAt.Add([.. live]);
            }

            for (int version = 0; version < modelAt.Count; version++)
            {
                var table = await LakeTableOpener.OpenAsync(storage, new TableRequest(version));
                Assert.Equal(modelAt[version].Order(StringComparer.Ordinal), table.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
                Assert.Equal(modelAt[version].Count, (int)await TableStatistics.CountRowsAsync(storage, table));
            }
        }, iter: 60);
    }
}
