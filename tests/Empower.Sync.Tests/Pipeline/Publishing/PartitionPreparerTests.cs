using Empower.Sync.ChangeDetection;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Dataverse;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Partitioning;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Lake.Writing;
using Empower.Sync.Mapping;
using Empower.Sync.Pipeline.Planning.Duplicates;
using Empower.Sync.Pipeline.Publishing;
using Empower.Sync.Pipeline.Publishing.Changes;
using Empower.Testing.Dataverse;
using Empower.Testing.Emulator;
using Empower.Testing.Jobs;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Pipeline.Publishing;

/// <summary>Prepare compares with the published state as it goes, window by window, and the counts still add up when a key repeats.</summary>
public sealed class PartitionPreparerTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private static JobDefinition Job(string duplicates) => new PeopleJob("x").With("duplicates", duplicates).Definition;

    [Theory]
    [InlineData("lastWins", true, "a=v2 c=v1", 1, 2, 0)]
    [InlineData("lastWins", false, "a=v2 b=v1 c=v1", 0, 2, 0)]
    [InlineData("fail", true, "c=v1", 0, 0, 4)]
    public async Task A_row_the_state_holds_is_unchanged_unless_a_later_row_of_its_key_replaces_it(
        string duplicates, bool withState, string toPublish, long unchanged, long superseded, int failed)
    {
        // a and b were published with v1; then a changes to v2 (an unchanged a comes first), b repeats unchanged, c is new.
        var published = await PrepareAsync(Job(duplicates), [("a", "v1"), ("b", "v1")], null);
        var state = new PublishedState(0, published.Rows.ToDictionary(r => RowHash.OfKey(r.Key, KeyCollation.AccentInsensitive), r => RowHash.Of(r.Record)),
            KeyCollation.AccentInsensitive);
        Assert.Equal(2, published.Windows);

        var prepared = await PrepareAsync(Job(duplicates), [("a", "v1"), ("b", "v1"), ("a", "v2"), ("c", "v1"), ("b", "v1")], withState ? state : null);

        Assert.Equal(toPublish, string.Join(" ", prepared.Rows.Select(r
            => $"{r.Record.Attributes["emailaddress1"]}={r.Record.Attributes["lastname"]}").Order(StringComparer.Ordinal)));
        Assert.Equal((5L, unchanged, superseded, failed), (prepared.Read, prepared.Unchanged, prepared.Superseded, prepared.Failed.Count));
        Assert.Equal(prepared.Rows.Count, prepared.Windows);
        Assert.Equal(prepared.Read, prepared.Rows.Count + prepared.Failed.Count + prepared.Superseded + prepared.Unchanged);
        Assert.All(prepared.Rows, r => Assert.Equal(withState && duplicates == "lastWins", r.Hash is not null));
    }

    [Theory]
    [InlineData(KeyCollation.AccentInsensitive, "CAFE-1@example.com=v2", 1)]
    [InlineData(KeyCollation.AccentSensitive, "CAFE-1@example.com=v2 café-1@example.com=v1", 0)]
    public async Task Keys_that_differ_only_in_accents_are_one_record_exactly_when_the_org_ignores_accents(KeyCollation collation, string toPublish,
        long superseded)
    {
        var prepared = await PrepareAsync(Job("lastWins"), [("café-1@example.com", "v1"), ("CAFE-1@example.com", "v2")], null, collation);

        Assert.Equal(toPublish, string.Join(" ", prepared.Rows.Select(r
            => $"{r.Record.Attributes["emailaddress1"]}={r.Record.Attributes["lastname"]}").Order(StringComparer.Ordinal)));
        Assert.Equal((2L, superseded), (prepared.Read, prepared.Superseded));
    }

    /// <summary>Plans the duplicates as Plan does, then prepares the partition in windows of one row.</summary>
    private async Task<Prepared> PrepareAsync(JobDefinition job, (string Email, string LastName)[] rows, PublishedState? state,
        KeyCollation collation = KeyCollation.AccentInsensitive)
    {
        using var lake = TempTable.Empty();
        var storage = new LocalLakeStorage(lake.Path);
        await new DeltaAppendWriter(storage, PeopleTable.Schema, TimeProvider.System).AppendAsync([.. rows.Select(r => new object?[] { r.Email, r.LastName })], "WRITE");
        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);
        using var client = DataverseClient.Create(EmulatorDataverse.Options(emulator.Server, principals: 1));
        var plan = await MappingPlanner.PlanAsync(job, table.Columns, t => client.Metadata.GetAsync(t)) with { KeyCollation = collation };
        var partition = (await WorkPartitioner.PlanAsync(storage, table.Files, new PartitioningOptions())).Single();
        var (duplicates, _) = await DuplicateKeyScan.ScanAsync(storage, table, new(), plan, [partition], changes: false, collectKeys: false,
            CancellationToken.None);
        var preparer = new PartitionPreparer(plan, new LakeTableReader(storage, table), duplicates, (stage, file, row, key, message, _) =>
            new FailedRow("r", job.Name, "contact", file, row, key, stage, null, message, 1, null, DateTimeOffset.UnixEpoch, null), state);
        var prepared = new List<PreparedRow>();
        int windows = 0;
        await foreach (var window in preparer.PrepareAsync(partition, null, windowRows: 1, CancellationToken.None))
        {
            prepared.AddRange(window);
            windows++;
        }

        return new Prepared(prepared, preparer.Failed, preparer.Read, preparer.Superseded, preparer.Unchanged, windows);
    }

    private sealed record Prepared(List<PreparedRow> Rows, List<FailedRow> Failed, long Read, long Superseded, long Unchanged, int Windows);
}
