using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Dataverse;
using Empower.Sync.Ingestion;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Testing.Dataverse;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;
using Empower.Testing;

namespace Empower.Sync.Tests.Ingestion;

/// <summary>
/// Ingestion against the emulator's change tracking: after every run the Delta table, read back by Empower's reader,
/// equals the emulator's records column by column; changes are applied once; the link commits with the data.
/// </summary>
public sealed class IngestRunnerTests
{
    private static readonly string[] Industries = ["Accounting", "Agriculture and Non-petrol Natural Resource Extraction",
        "Broadcasting Printing and Publishing"];

    private static IngestJob Job(string path, params string[] columns) => IngestJobLoader.Parse(
        $$"""{ "name": "accounts-in", "from": { "table": "account"{{(columns.Length > 0 ? $", \"columns\": [{string.Join(",", columns.Select(c => $"\"{c}\""))}]" : "")}} }, "to": { "path": "{{path}}" }, "pageSize": 700 }""",
        "accounts-in.json");

    private static async Task SeedAsync(EmulatorClient client, int from, int count, string? contact)
    {
        foreach (var chunk in Enumerable.Range(from, count).Chunk(500))
        {
            var targets = chunk.Select(i =>
            {
                var account = new JsonObject
                {
                    ["@odata.type"] = "Microsoft.Dynamics.CRM.account",
                    ["name"] = $"Account {i}",
                    ["accountnumber"] = $"IN-{i:D5}",
                    ["revenue"] = i * 10.25m,
                    ["industrycode"] = i % 3 + 1,
                    ["creditonhold"] = i % 2 == 0,
                    ["lastusedincampaign"] = new DateTime(2026, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'",
                        CultureInfo.InvariantCulture),
                };
                if (contact is not null && i % 5 == 0)
                {
                    account["primarycontactid@odata.bind"] = $"/contacts({contact})";
                }

                return (JsonNode)account;
            });
            var response = await client.PostAsync("accounts/Microsoft.Dynamics.CRM.CreateMultiple",
                new JsonObject { ["Targets"] = new JsonArray([.. targets]) }.ToJsonString());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>Every account the emulator holds, as the Web API returns it.</summary>
    private static async Task<Dictionary<string, JsonObject>> RecordsAsync(EmulatorClient client)
    {
        var records = new Dictionary<string, JsonObject>();
        string? next = "accounts";
        while (next is not null)
        {
            var page = await (await client.GetAsync(next, ("Prefer", "odata.maxpagesize=5000"))).JsonAsync();
            foreach (var record in page["value"]!.AsArray())
            {
                records[(string)record!["accountid"]!] = record.AsObject();
            }

            next = (string?)page["@odata.nextLink"];
        }

        return records;
    }

    private static async Task<Dictionary<string, Dictionary<string, object?>>> TableAsync(string path)
    {
        var storage = new LocalLakeStorage(path);
        var table = await LakeTableOpener.OpenAsync(storage, TableRequest.Latest);
        var rows = new Dictionary<string, Dictionary<string, object?>>();
        await foreach (var batch in new LakeTableReader(storage, table).ReadAllAsync())
        {
            for (int r = 0; r < batch.RowCount; r++)
            {
                var row = batch.Columns.ToDictionary(c => c.Column.Name, c => c.GetValue(r));
                Assert.True(rows.TryAdd((string)row["accountid"]!, row), $"account {row["accountid"]} is in the table twice");
            }
        }

        return rows;
    }

    /// <summary>The table holds exactly the emulator's accounts, every value as the type mapping says.</summary>
    private static void AssertEqual(Dictionary<string, JsonObject> records, Dictionary<string, Dictionary<string, object?>> table)
    {
        Assert.Equal(records.Keys.Order(), table.Keys.Order());
        foreach (var (id, record) in records)
        {
            var row = table[id];
            Assert.Equal((string?)record["name"], row["name"]);
            Assert.Equal((string?)record["accountnumber"], row["accountnumber"]);
            Assert.Equal((decimal?)record["revenue"], (decimal?)row["revenue"]);
            Assert.Equal((int?)record["industrycode"], row["industrycode"]);
            Assert.Equal(record["industrycode"] is null ? null : Industries[(int)record["industrycode"]! - 1], row["industrycode_label"]);
            Assert.Equal((bool?)record["creditonhold"], row["creditonhold"]);
            Assert.Equal(record["lastusedincampaign"] is null ? null
                : DateTime.Parse((string)record["lastusedincampaign"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal),
                (DateTime?)row["lastusedincampaign"]);
            Assert.Equal((string?)record["_primarycontactid_value"], row["primarycontactid"]);
            Assert.Equal(record["_primarycontactid_value"] is null ? null : "contact", row["primarycontactid_table"]);
        }
    }

    [Fact]
    public async Task A_snapshot_then_creates_updates_and_deletes_leave_the_table_equal_to_Dataverse_after_each_run()
    {
        using var lake = TempTable.Empty();
        await using var rig = await Rig.StartAsync(2);
        var client = rig.Client;
        var contact = await client.PostAsync("contacts", """{ "lastname": "Owner", "emailaddress1": "owner@example.com" }""");
        string contactId = contact.Headers.GetValues("OData-EntityId").Single().Split('(', ')')[1];
        await SeedAsync(client, 0, 5_000, contactId);
        var runner = rig.Runner;
        var target = new IngestTable(new LocalLakeStorage(lake.Path), TimeProvider.System);
        var job = Job(lake.Path);

        var snapshot = await runner.RunAsync(job, target, "first", CancellationToken.None);
        AssertEqual(await RecordsAsync(client), await TableAsync(lake.Path));

        var all = (await RecordsAsync(client)).Keys.Order().ToList();
        foreach (string id in all.Take(40))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.PatchAsync($"accounts({id})",
                """{ "name": "Renamed", "revenue": 1.5, "industrycode": null }""")).StatusCode);
        }

        foreach (string id in all.Skip(40).Take(25))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"accounts({id})")).StatusCode);
        }

        await SeedAsync(client, 10_000, 30, contact: null);
        var changes = await runner.RunAsync(job, target, "second", CancellationToken.None);
        AssertEqual(await RecordsAsync(client), await TableAsync(lake.Path));
        var quiet = await runner.RunAsync(job, target, "third", CancellationToken.None);

        Assert.Equal(("snapshot", 5_000L, 5_000L, 0L), (snapshot.Mode, snapshot.Read, snapshot.Created, snapshot.Version));
        Assert.Equal(8, snapshot.Pages);
        Assert.Equal(("changes", 95L, 30L, 40L, 25L, 0L), (changes.Mode, changes.Read, changes.Created, changes.Updated, changes.Deleted,
            changes.DeletesNotFound));
        Assert.Equal(1L, changes.Version);
        Assert.Equal(changes.Read, changes.Created + changes.Updated + changes.Deleted + changes.DeletesNotFound);
        // Nothing changed: no new version, and the link stays.
        Assert.Equal(("nothing changed since the last run", 1L, 0L), (quiet.Reason, quiet.Version, quiet.Read));
        var commit = (await File.ReadAllLinesAsync(Path.Combine(lake.Path, "_delta_log", $"{1:D20}.json"))).Select(l => JsonNode.Parse(l)!).ToList();
        var ingest = commit.Single(a => a["commitInfo"] is not null)["commitInfo"]!["empowerIngest"]!;
        Assert.Equal(("accounts-in", "second", 2L), ((string)ingest["job"]!, (string)ingest["runId"]!, (long)ingest["sequence"]!));
        Assert.Contains("$deltatoken=", (string)ingest["deltaLink"]!);
        Assert.Equal(("empower-ingest:accounts-in", 2L), ((string)commit.Single(a => a["txn"] is not null)["txn"]!["appId"]!,
            (long)commit.Single(a => a["txn"] is not null)["txn"]!["version"]!));

        // The change feed of the run shows the changes, not the rewritten files.
        var feed = await FeedAsync(lake.Path, fromVersion: 0, toVersion: 1);
        Assert.Equal(
            new Dictionary<string, int> { ["insert"] = 30, ["update_preimage"] = 40, ["update_postimage"] = 40, ["delete"] = 25 },
            feed.GroupBy(r => (string)r["_change_type"]!).ToDictionary(g => g.Key, g => g.Count()));
        Assert.All(feed.Where(r => (string)r["_change_type"]! == "update_postimage"),
            r => Assert.Equal(("Renamed", 1.5m), ((string?)r["name"], (decimal?)r["revenue"])));
        Assert.All(feed.Where(r => (string)r["_change_type"]! == "update_preimage"),
            r => Assert.StartsWith("Account ", (string?)r["name"], StringComparison.Ordinal));
        Assert.Equal(all.Skip(40).Take(25).Order(), feed.Where(r => (string)r["_change_type"]! == "delete").Select(r => (string)r["accountid"]!).Order());
        var protocol = (await File.ReadAllLinesAsync(Path.Combine(lake.Path, "_delta_log", $"{0:D20}.json"))).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(4, (int)protocol.Single(a => a["protocol"] is not null)["protocol"]!["minWriterVersion"]!);
        Assert.Equal("true", (string?)protocol.Single(a => a["metaData"] is not null)["metaData"]!["configuration"]!["delta.enableChangeDataFeed"]);
    }

    [Fact]
    public async Task A_50000_record_snapshot_and_the_changes_after_it_read_back_equal_to_Dataverse_in_Empower_and_in_DuckDB()
    {
        using var lake = TempTable.Empty();
        await using var rig = await Rig.StartAsync(2);
        await SeedAsync(rig.Client, 0, 50_000, contact: null);
        var target = new IngestTable(new LocalLakeStorage(lake.Path), TimeProvider.System);
        var job = Job(lake.Path) with { PageSize = 5000 };

        var snapshot = await rig.Runner.RunAsync(job, target, "snapshot", CancellationToken.None);
        var records = await RecordsAsync(rig.Client);
        AssertEqual(records, await TableAsync(lake.Path));
        AssertEqual(records, await DuckDbAsync(lake.Path));

        var ids = records.Keys.Order().ToList();
        foreach (string id in ids.Take(10))
        {
            await rig.Client.PatchAsync($"accounts({id})", """{ "name": "Changed", "creditonhold": null }""");
        }

        foreach (string id in ids.Skip(10).Take(5))
        {
            await rig.Client.DeleteAsync($"accounts({id})");
        }

        var changes = await rig.Runner.RunAsync(job, target, "changes", CancellationToken.None);
        records = await RecordsAsync(rig.Client);
        AssertEqual(records, await TableAsync(lake.Path));
        AssertEqual(records, await DuckDbAsync(lake.Path));

        Assert.Equal(("snapshot", 50_000L, 50_000L, 10), (snapshot.Mode, snapshot.Read, snapshot.Created, snapshot.Pages));
        // Files of at most RowsPerFile rows.
        Assert.Equal((50_000 + IngestTable.RowsPerFile - 1) / IngestTable.RowsPerFile, snapshot.FilesAdded);
        Assert.Equal(("changes", 15L, 10L, 5L), (changes.Mode, changes.Read, changes.Updated, changes.Deleted));
        var first = await (await Empower.Sync.Lake.Delta.DeltaTable.OpenAsync(new LocalLakeStorage(lake.Path), CancellationToken.None)).SnapshotAsync(0);
        var stats = JsonNode.Parse(first.Files[0].Stats!)!;
        Assert.Equal((0, 3), ((int)stats["nullCount"]!["industrycode"]!, (int)stats["maxValues"]!["industrycode"]!));
    }

    /// <summary>The table's latest files read by DuckDB, an independent Parquet reader, with the Parquet types DuckDB sees.</summary>
    private static async Task<Dictionary<string, Dictionary<string, object?>>> DuckDbAsync(string path)
    {
        var table = await LakeTableOpener.OpenAsync(new LocalLakeStorage(path), TableRequest.Latest);
        string files = string.Join(", ", table.Files.Select(f => $"'{Path.Combine(path, f.Path).Replace("'", "''", StringComparison.Ordinal)}'"));
        using var duck = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        duck.Open();
        using var describe = duck.CreateCommand();
        describe.CommandText = $"DESCRIBE SELECT * FROM read_parquet([{files}])";
        var types = new Dictionary<string, string>();
        using (var reader = describe.ExecuteReader())
        {
            while (reader.Read())
            {
                types[reader.GetString(0)] = reader.GetString(1);
            }
        }

        // As Spark writes them: decimals with their precision, UTC timestamps, 32-bit choices.
        Assert.Equal(("DECIMAL(19,4)", "TIMESTAMP WITH TIME ZONE", "INTEGER", "BOOLEAN", "VARCHAR"),
            (types["revenue"], types["lastusedincampaign"], types["industrycode"], types["creditonhold"], types["accountid"]));
        using var select = duck.CreateCommand();
        select.CommandText = $"SELECT * FROM read_parquet([{files}])";
        var rows = new Dictionary<string, Dictionary<string, object?>>();
        using var cells = select.ExecuteReader();
        while (cells.Read())
        {
            var row = Enumerable.Range(0, cells.FieldCount).ToDictionary(cells.GetName, i => cells.IsDBNull(i) ? null : cells.GetValue(i) switch
            {
                DateTimeOffset instant => instant.UtcDateTime,
                DateTime instant => DateTime.SpecifyKind(instant, DateTimeKind.Utc),
                var value => value,
            });
            Assert.True(rows.TryAdd((string)row["accountid"]!, row), $"account {row["accountid"]} is in the files twice");
        }

        return rows;
    }

    private static async Task<List<Dictionary<string, object?>>> FeedAsync(string path, long fromVersion, long toVersion)
    {
        var storage = new LocalLakeStorage(path);
        var delta = await Empower.Sync.Lake.Delta.DeltaTable.OpenAsync(storage, CancellationToken.None);
        var table = Empower.Sync.Pipeline.Runtime.JobRuntime.ChangesOf(await LakeTableOpener.OpenAsync(storage, new TableRequest(toVersion)),
            await delta.ChangesAsync(fromVersion, toVersion));
        var rows = new List<Dictionary<string, object?>>();
        await foreach (var batch in new LakeTableReader(storage, table, includeChangeColumns: true).ReadAllAsync())
        {
            for (int r = 0; r < batch.RowCount; r++)
            {
                rows.Add(batch.Columns.ToDictionary(c => c.Column.Name, c => c.GetValue(r)));
            }
        }

        return rows;
    }

    [Fact]
    public async Task A_crash_before_the_commit_repeats_the_same_changes_and_a_crash_after_it_does_not_apply_them_twice()
    {
        using var lake = TempTable.Empty();
        await using var rig = await Rig.StartAsync(1);
        var client = rig.Client;
        await SeedAsync(client, 0, 300, contact: null);
        var runner = rig.Runner;
        var storage = new CrashingStorage(new LocalLakeStorage(lake.Path));
        var target = new IngestTable(storage, TimeProvider.System);
        var job = Job(lake.Path);
        await runner.RunAsync(job, target, "snapshot", CancellationToken.None);
        var ids = (await RecordsAsync(client)).Keys.Order().ToList();

        await client.PatchAsync($"accounts({ids[0]})", """{ "name": "Before the crash" }""");
        await client.DeleteAsync($"accounts({ids[1]})");
        storage.Crash = CrashingStorage.At.BeforeCommit;
        await Assert.ThrowsAsync<IOException>(() => runner.RunAsync(job, target, "crashed-before", CancellationToken.None));
        storage.Crash = CrashingStorage.At.Never;
        var afterBefore = await runner.RunAsync(job, target, "repeat", CancellationToken.None);
        AssertEqual(await RecordsAsync(client), await TableAsync(lake.Path));

        await client.PatchAsync($"accounts({ids[2]})", """{ "name": "After the crash" }""");
        await SeedAsync(client, 1_000, 3, contact: null);
        storage.Crash = CrashingStorage.At.AfterCommit;
        await Assert.ThrowsAsync<IOException>(() => runner.RunAsync(job, target, "crashed-after", CancellationToken.None));
        storage.Crash = CrashingStorage.At.Never;
        var afterAfter = await runner.RunAsync(job, target, "next", CancellationToken.None);
        AssertEqual(await RecordsAsync(client), await TableAsync(lake.Path));

        // Before: the commit never happened, so the same two changes came again. After: they were committed, and come no more.
        Assert.Equal((1L, 1L, 1L), (afterBefore.Read - 1, afterBefore.Updated, afterBefore.Deleted));
        Assert.Equal(("nothing changed since the last run", 0L), (afterAfter.Reason, afterAfter.Read));
    }

    [Fact]
    public async Task Of_two_runs_that_read_the_same_version_one_commits_and_the_other_stops_writing_nothing()
    {
        using var lake = TempTable.Empty();
        await using var rig = await Rig.StartAsync(1);
        var client = rig.Client;
        await SeedAsync(client, 0, 50, contact: null);
        var runner = rig.Runner;
        var target = new IngestTable(new LocalLakeStorage(lake.Path), TimeProvider.System);
        var job = Job(lake.Path);
        await runner.RunAsync(job, target, "snapshot", CancellationToken.None);
        var state = await target.StateAsync(job.Name, CancellationToken.None);
        var (table, plan, _) = await runner.CheckAsync(job, CancellationToken.None);
        var schema = new Empower.Sync.Lake.Schema.LakeSchema([.. plan.Columns.Select(c => c.Field)]);
        JsonObject Info(string run) => new() { ["job"] = job.Name, ["runId"] = run, ["sequence"] = state.Sequence + 1, ["deltaLink"] = state.DeltaLink };
        var gone = (await RecordsAsync(client)).Keys.Order().Take(2).ToList();

        var first = await target.ApplyAsync(state, schema, table.PrimaryIdAttribute, [], [gone[0]], [], Info("a"), CancellationToken.None);
        var second = await Assert.ThrowsAsync<IngestConflictException>(() => target.ApplyAsync(state, schema, table.PrimaryIdAttribute, [], [gone[1]], [],
            Info("b"), CancellationToken.None));

        Assert.Equal(1L, first.Version);
        Assert.Contains("Another run of the ingest job 'accounts-in' committed version 1", second.Message);
        var rows = await TableAsync(lake.Path);
        Assert.Equal((49, false, true), (rows.Count, rows.ContainsKey(gone[0]), rows.ContainsKey(gone[1])));
    }

    [Fact]
    public async Task An_expired_delta_link_and_a_new_column_set_each_read_the_table_again_in_full()
    {
        using var lake = TempTable.Empty();
        await using var rig = await Rig.StartAsync(1, ("Emulator:ChangeTracking:RetentionSeconds", "1"));
        var client = rig.Client;
        await SeedAsync(client, 0, 20, contact: null);
        var runner = rig.Runner;
        var target = new IngestTable(new LocalLakeStorage(lake.Path), TimeProvider.System);
        await runner.RunAsync(Job(lake.Path, "name"), target, "first", CancellationToken.None);
        await client.PatchAsync("accounts(accountnumber='IN-00003')", """{ "name": "Changed" }""");
        await Task.Delay(TimeSpan.FromSeconds(2.2));

        var expired = await runner.RunAsync(Job(lake.Path, "name"), target, "expired", CancellationToken.None);
        var widened = await runner.RunAsync(Job(lake.Path, "name", "accountnumber"), target, "widened", CancellationToken.None);

        Assert.Equal("snapshot", expired.Mode);
        Assert.StartsWith("Dataverse refused the last delta link", expired.Reason, StringComparison.Ordinal);
        Assert.Equal(("snapshot", "the columns changed since the last run (1 change)", 20L), (widened.Mode, widened.Reason, widened.Created));
        Assert.Equal(["added 'accountnumber' (string)"], widened.ColumnChanges);
        var rows = await TableAsync(lake.Path);
        Assert.Equal(["accountid", "accountnumber", "name"], rows.Values.First().Keys.Order());
        Assert.Equal("Changed", rows.Values.Single(r => (string?)r["accountnumber"] == "IN-00003")["name"]);
    }

    [Fact]
    public async Task An_attribute_created_in_Dataverse_joins_as_a_column_and_one_deleted_is_reported_as_dropped()
    {
        using var lake = TempTable.Empty();
        using var store = TempTable.Empty();
        string database = Path.Combine(store.Path, "org.db");
        string customized = Path.Combine(store.Path, "customized-schema.json");
        var schema = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "src", "Empower.Dataverse.Emulator", "Schema",
            "default-schema.json")))!;
        var account = schema["tables"]!.AsArray().Single(t => (string)t!["logicalName"]! == "account")!;
        var attributes = account["attributes"]!.AsArray();
        attributes.Remove(attributes.Single(a => (string)a!["logicalName"]! == "telephone1"));
        attributes.Add(JsonNode.Parse("""{ "logicalName": "empower_segment", "type": "String", "maxLength": 40 }"""));
        await File.WriteAllTextAsync(customized, schema.ToJsonString());
        var job = Job(lake.Path) with { PageSize = 5000 };
        var target = new IngestTable(new LocalLakeStorage(lake.Path), TimeProvider.System);

        int port;
        await using (var rig = await Rig.StartAsync(1, ("Emulator:Storage:Path", database)))
        {
            port = rig.Port;
            await SeedAsync(rig.Client, 0, 50, contact: null);
            var first = await rig.Runner.RunAsync(job, target, "before", CancellationToken.None);
            Assert.Equal(("snapshot", 50L), (first.Mode, first.Created));
        }

        // The same organisation after a customization: one column created, one deleted.
        await using (var rig = await Rig.StartAsync(1, ("Emulator:Storage:Path", database), ("Emulator:Schema", customized),
            ("urls", $"http://127.0.0.1:{port}")))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await rig.Client.PatchAsync("accounts(accountnumber='IN-00007')",
                """{ "empower_segment": "Enterprise" }""")).StatusCode);
            var after = await rig.Runner.RunAsync(job, target, "after", CancellationToken.None);
            var quiet = await rig.Runner.RunAsync(job, target, "quiet", CancellationToken.None);

            Assert.Equal(("snapshot", "the columns changed since the last run (2 changes)", 50L), (after.Mode, after.Reason, after.Created));
            Assert.Equal(
                ["added 'empower_segment' (string)", "dropped 'telephone1': 'account' no longer has that attribute; earlier versions of the " +
                    "table keep its values"],
                after.ColumnChanges);
            Assert.Equal(("changes", 0L), (quiet.Mode, quiet.Read));
            var rows = await TableAsync(lake.Path);
            Assert.Equal(50, rows.Count);
            Assert.DoesNotContain("telephone1", rows.Values.First().Keys);
            Assert.Equal(["Enterprise"], rows.Values.Select(r => (string?)r["empower_segment"]).OfType<string>());
        }

        // The metaData of the new version says so too, and the earlier version still reads with the old column.
        var storage = new LocalLakeStorage(lake.Path);
        Assert.Contains("telephone1", (await LakeTableOpener.OpenAsync(storage, new TableRequest(0))).Schema.Fields.Select(f => f.Name));
        Assert.Contains("empower_segment", (await LakeTableOpener.OpenAsync(storage, TableRequest.Latest)).Schema.Fields.Select(f => f.Name));
    }

    [Fact]
    public async Task A_filter_keeps_only_matching_records_and_removes_a_record_that_stops_matching()
    {
        using var lake = TempTable.Empty();
        await using var rig = await Rig.StartAsync(1);
        await SeedAsync(rig.Client, 0, 30, contact: null);
        var target = new IngestTable(new LocalLakeStorage(lake.Path), TimeProvider.System);
        // industrycode 1 or 2 (i % 3 != 2), and credit on hold (even i): 0, 4, 6, 10, ... — 10 of 30.
        var job = IngestJobLoader.Parse(
            $$"""{ "name": "accounts-filtered", "from": { "table": "account", "columns": ["name", "accountnumber", "industrycode", "creditonhold"], "filter": { "industrycode": [1, 2], "creditonhold": true } }, "to": { "path": "{{lake.Path}}" } }""",
            "accounts-filtered.json");
        var measured = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name is "empower.ingest.records" or IngestTelemetry.ProgressRecordsName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var named = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            if (named.GetValueOrDefault("empower.job") == "accounts-filtered")
            {
                measured.AddOrUpdate($"{instrument.Name}:{named.GetValueOrDefault("empower.outcome")}", value, (_, sum) => sum + value);
            }
        });
        listener.Start();

        var snapshot = await rig.Runner.RunAsync(job, target, "first", CancellationToken.None);
        Assert.Equal((30L, 10L, 20L), (snapshot.Read, snapshot.Created, snapshot.FilteredOut));
        Assert.Equal((30L, 10L, 20L), (measured[$"{IngestTelemetry.ProgressRecordsName}:"], measured["empower.ingest.records:created"],
            measured["empower.ingest.records:filtered_out"]));
        Assert.Equal(10, (await TableAsync(lake.Path)).Count);

        // IN-00000 stops matching, IN-00002 starts matching, IN-00004 changes and still matches.
        await rig.Client.PatchAsync("accounts(accountnumber='IN-00000')", """{ "creditonhold": false }""");
        await rig.Client.PatchAsync("accounts(accountnumber='IN-00002')", """{ "industrycode": 1 }""");
        await rig.Client.PatchAsync("accounts(accountnumber='IN-00004')", """{ "name": "Still in" }""");
        var changes = await rig.Runner.RunAsync(job, target, "second", CancellationToken.None);

        Assert.Equal((3L, 1L, 1L, 0L, 1L), (changes.Read, changes.Created, changes.Updated, changes.Deleted, changes.FilteredOut));
        Assert.Equal(changes.Read, changes.Created + changes.Updated + changes.Deleted + changes.DeletesNotFound + changes.FilteredOut);
        var rows = await TableAsync(lake.Path);
        Assert.Equal(10, rows.Count);
        var numbers = rows.Values.Select(r => (string)r["accountnumber"]!).ToHashSet();
        Assert.DoesNotContain("IN-00000", numbers);
        Assert.Contains("IN-00002", numbers);
        Assert.Equal("Still in", rows.Values.Single(r => (string)r["accountnumber"]! == "IN-00004")["name"]);
        var feed = await FeedAsync(lake.Path, fromVersion: 0, toVersion: 1);
        Assert.Equal(["IN-00000"], feed.Where(r => (string)r["_change_type"]! == "delete").Select(r => (string)r["accountnumber"]!));

        var bad = IngestJobLoader.Parse(
            """{ "name": "x", "from": { "table": "account", "columns": ["name"], "filter": { "industrycode": 1, "nmae": "a", "name": { "eq": 1 }, "accountid": [1e400] } }, "to": { "path": "x" } }""", "x.json");
        var ex = await Assert.ThrowsAsync<JobConfigurationException>(() => rig.Runner.CheckAsync(bad, CancellationToken.None));
        Assert.Equal(
            [
                "from.filter: 'industrycode' is not among from.columns; add it there, since the filter tests the records read.",
                "from.filter: 'nmae' is not an attribute of 'account' (did you mean 'name'?).",
                "from.filter: 'name' must be a value or a list of values (got {\"eq\":1}).",
                "from.filter: 'accountid' holds 1e400, a number no Dataverse attribute holds.",
            ],
            ex.Problems);
    }

    [Fact]
    public async Task A_table_without_change_tracking_or_an_unknown_column_is_refused_before_anything_is_read()
    {
        await using var rig = await Rig.StartAsync(1);
        var runner = rig.Runner;

        var ex = await Assert.ThrowsAsync<JobConfigurationException>(() => runner.CheckAsync(Job("x", "name", "nmae", "accountid"), CancellationToken.None));

        Assert.Equal(["from.columns: 'nmae' is not an attribute of 'account' (did you mean 'name'?)."], ex.Problems);
    }

    [Fact]
    public async Task Throttling_during_a_snapshot_is_waited_out_honouring_Retry_After()
    {
        using var lake = TempTable.Empty();
        await using var rig = await Rig.StartAsync(1, ("Emulator:Limits:Enabled", "true"), ("Emulator:Limits:WindowSeconds", "2"),
            ("Emulator:Limits:MaxRequests", "3"));
        var client = rig.Client;
        await SeedAsync(client, 0, 1_000, contact: null);
        var runner = rig.Runner;
        var job = Job(lake.Path) with { PageSize = 100 };

        var result = await runner.RunAsync(job, new IngestTable(new LocalLakeStorage(lake.Path), TimeProvider.System), "throttled", CancellationToken.None);

        var stats = await client.StatsAsync();
        Assert.Equal(1_000L, result.Created);
        Assert.Equal(1_000, (await TableAsync(lake.Path)).Count);
        Assert.True((int)stats["totals"]!["throttled"]! > 0, "the limits should have throttled the snapshot's pages");
        Assert.Equal(0, (int)stats["totals"]!["retryAfterViolations"]!);
    }

    /// <summary>An emulator, a client of its own to seed and read it, and an ingest runner whose principals it knows.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly EmulatorServer _server;
        private readonly DataverseClient _dataverse;

        private Rig(EmulatorServer server, EmulatorClient client, DataverseClient dataverse)
        {
            _server = server;
            Client = client;
            _dataverse = dataverse;
            Runner = new IngestRunner(dataverse, TimeProvider.System);
        }

        public EmulatorClient Client { get; }

        public IngestRunner Runner { get; }

        public int Port => _server.BaseAddress.Port;

        public static async Task<Rig> StartAsync(int principals, params (string Key, string Value)[] settings)
        {
            var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(settings));
            return new Rig(server, await EmulatorClient.ConnectAsync(server), DataverseClient.Create(EmulatorDataverse.Options(server, principals)));
        }

        public async ValueTask DisposeAsync()
        {
            _dataverse.Dispose();
            Client.Dispose();
            await _server.DisposeAsync();
        }
    }

    /// <summary>Fails writes of the Delta log around the commit, as a process killed at that moment would.</summary>
    private sealed class CrashingStorage(ILakeStorage inner) : ILakeStorage
    {
        public enum At { Never, BeforeCommit, AfterCommit }

        public At Crash { get; set; }

        public string Describe(string path) => inner.Describe(path);

        public IAsyncEnumerable<LakeFile> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

        public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default) => inner.ExistsAsync(path, cancellationToken);

        public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) => inner.OpenReadAsync(path, cancellationToken);

        public Task<byte[]> ReadRangeAsync(string path, long offset, int length, CancellationToken cancellationToken = default)
            => inner.ReadRangeAsync(path, offset, length, cancellationToken);

        public async Task<bool> WriteIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        {
            bool log = path.StartsWith("_delta_log/", StringComparison.Ordinal);
            if (log && Crash == At.BeforeCommit)
            {
                throw new IOException("killed before the commit");
            }

            bool written = await inner.WriteIfAbsentAsync(path, content, cancellationToken);
            return log && Crash == At.AfterCommit ? throw new IOException("killed after the commit") : written;
        }

        public Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
            => inner.WriteAsync(path, content, cancellationToken);
    }
}
