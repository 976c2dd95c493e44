using System.Text.Json.Nodes;
using Empower.Sync.ChangeDetection;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Dataverse.Writing;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Lake.Writing;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.ChangeDetection;

public sealed class PublishedStateTableTests
{
    private static StateEntry Entry(int i, string value) =>
        new($"\"k{i}\"", RowHash.Hex(RowHash.Of(new RecordToWrite(i, new JsonObject { ["v"] = value }))), $$"""{"k":"k{{i}}"}""");

    [Fact]
    public async Task Staged_entries_count_only_once_committed_and_later_runs_win()
    {
        using var folder = TempTable.Empty();
        var table = new PublishedStateTable(new LocalLakeStorage(folder.Path), TimeProvider.System, KeyCollation.AccentInsensitive);
        await table.StageAsync("r1", 0, 0, [Entry(1, "a"), Entry(2, "a")]);
        long? beforeCommit = await table.VersionAsync();

        long committed = await table.CommitStagedAsync("r1");
        await table.StageAsync("r2", 0, 0, [Entry(1, "b"), new StateEntry("\"k2\"", "", null, Deleted: true)]);
        var afterFirst = await table.LoadAsync(await table.VersionAsync());
        await table.CommitStagedAsync("r2");
        var state = await table.LoadAsync(await table.VersionAsync());
        var live = await table.LiveAsync(await table.VersionAsync());

        Assert.Null(beforeCommit);
        Assert.Equal(2, committed);
        Assert.True(afterFirst.IsUnchanged("\"k1\"", RowHash.Parse(Entry(1, "a").Hash)));
        Assert.True(state.IsUnchanged("\"k1\"", RowHash.Parse(Entry(1, "b").Hash)));
        Assert.False(state.IsUnchanged("\"k1\"", RowHash.Parse(Entry(1, "a").Hash)));
        Assert.False(state.IsUnchanged("\"k2\"", RowHash.Parse(Entry(2, "a").Hash)));
        Assert.Equal(1, state.Count);
        Assert.Equal(["{\"k\":\"k1\"}"], live.Select(e => e.KeyValues));
    }

    [Fact]
    public async Task Many_commits_are_compacted_into_one_file_with_the_same_state()
    {
        using var folder = TempTable.Empty();
        var storage = new LocalLakeStorage(folder.Path);
        var table = new PublishedStateTable(storage, TimeProvider.System, KeyCollation.AccentInsensitive);
        for (int run = 0; run <= StateCompaction.CompactAfterSmallFiles; run++)
        {
            await table.StageAsync($"r{run}", 0, 0, [Entry(run, "x"), Entry(1000, $"v{run}")]);
            await table.CommitStagedAsync($"r{run}");
        }

        var files = (await LakeTableOpener.OpenAsync(storage, TableRequest.Latest)).Files;
        var state = await table.LoadAsync(await table.VersionAsync());

        Assert.Single(files);
        Assert.Equal(StateCompaction.CompactAfterSmallFiles + 2, state.Count);
        Assert.True(state.IsUnchanged("\"k1000\"", RowHash.Parse(Entry(1000, $"v{StateCompaction.CompactAfterSmallFiles}").Hash)));
        Assert.True(state.IsUnchanged("\"k0\"", RowHash.Parse(Entry(0, "x").Hash)));
        // Which run published a key, and when, survive compaction (failed-rows list judges rows since written by them).
        var live = (await table.LiveAsync(await table.VersionAsync())).ToDictionary(e => e.Key);
        Assert.Equal(("r0", $"r{StateCompaction.CompactAfterSmallFiles}"), (live["\"k0\""].RunId, live["\"k1000\""].RunId));
        Assert.True(live["\"k0\""].PublishedAt < live["\"k1000\""].PublishedAt, $"{live["\"k0\""].PublishedAt:O} / {live["\"k1000\""].PublishedAt:O}");
    }

    [Fact]
    public async Task Compaction_in_buckets_keeps_the_latest_entry_of_every_key()
    {
        using var folder = TempTable.Empty();
        var storage = new LocalLakeStorage(folder.Path);
        var time = TimeProvider.System;
        var table = new PublishedStateTable(storage, time, KeyCollation.AccentInsensitive);
        // Three runs over 120 keys: the second changes every third key, the third deletes every fifth.
        await table.StageAsync("r1", 0, 0, [.. Enumerable.Range(0, 120).Select(i => Entry(i, "a"))]);
        await table.CommitStagedAsync("r1");
        await table.StageAsync("r2", 0, 0, [.. Enumerable.Range(0, 120).Where(i => i % 3 == 0).Select(i => Entry(i, "b"))]);
        await table.CommitStagedAsync("r2");
        await table.StageAsync("r3", 0, 0, [.. Enumerable.Range(0,
            120).Where(i => i % 5 == 0).Select(i => new StateEntry($"\"k{i}\"", "", null, Deleted: true))]);
        await table.CommitStagedAsync("r3");
        var before = (await table.LiveAsync(await table.VersionAsync())).ToDictionary(e => e.Key);

        var latest = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);
        await new StateCompaction(storage, new DeltaAppendWriter(storage, PublishedStateTable.Schema, time), time,
            KeyCollation.AccentInsensitive, bucketKeys: 10).CompactAsync(latest, default);

        var files = (await LakeTableOpener.OpenAsync(storage, TableRequest.Latest)).Files;
        var after = (await table.LiveAsync(await table.VersionAsync())).ToDictionary(e => e.Key);
        var state = await table.LoadAsync(await table.VersionAsync());
        Assert.Equal(96, after.Count);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before.Values, e => Assert.Equal((e.Hash, e.KeyValues, e.RunId, e.PublishedAt),
            (after[e.Key].Hash, after[e.Key].KeyValues, after[e.Key].RunId, after[e.Key].PublishedAt)));
        Assert.True(state.IsUnchanged("\"k3\"", RowHash.Parse(Entry(3, "b").Hash)));
        Assert.True(state.IsUnchanged("\"k1\"", RowHash.Parse(Entry(1, "a").Hash)));
        Assert.False(state.IsUnchanged("\"k5\"", RowHash.Parse(Entry(5, "a").Hash)));
        // 120 + 40 + 24 rows in 19 buckets of about 10 (the string hash decides which get none): a file per bucket with keys.
        Assert.InRange(files.Count, 10, 19);
        Assert.Equal(96, files.Sum(f => f.PhysicalRows));
    }

    [Fact]
    public void A_row_hash_changes_with_any_value_and_with_the_record_id()
    {
        var record = new RecordToWrite(1, new JsonObject { ["a"] = 1, ["b"] = "x" });

        Assert.Equal(RowHash.Of(record), RowHash.Of(record with { RowId = 2, Attributes = new JsonObject { ["a"] = 1, ["b"] = "x" } }));
        Assert.NotEqual(RowHash.Of(record), RowHash.Of(record with { Attributes = new JsonObject { ["a"] = 1, ["b"] = "y" } }));
        Assert.NotEqual(RowHash.Of(record), RowHash.Of(record with { Id = Guid.NewGuid() }));
        Assert.Equal(RowHash.Of(record), RowHash.Parse(RowHash.Hex(RowHash.Of(record))));
    }
}
