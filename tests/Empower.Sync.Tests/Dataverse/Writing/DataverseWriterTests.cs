using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Dataverse;
using Empower.Sync.Dataverse.Writing;
using Empower.Testing.Dataverse;
using Empower.Testing.Emulator;

namespace Empower.Sync.Tests.Dataverse.Writing;

/// <summary>The client against the emulator over loopback HTTP, with tokens from its HTTPS endpoint through Azure.Identity.</summary>
public sealed class DataverseWriterTests
{
    private static RecordToWrite Account(int i) =>
        new(i, new JsonObject { ["accountnumber"] = $"A-{i:D6}", ["name"] = $"Account {i}", ["numberofemployees"] = i % 1000 },
            DeterministicId.For("account", $"A-{i:D6}"));

    private static RecordToWrite Contact(int i, JsonObject? extra = null)
    {
        var attributes = new JsonObject { ["emailaddress1"] = $"c{i}@example.com", ["lastname"] = $"Last {i}", ["firstname"] = $"First {i}" };
        foreach (var (key, value) in extra ?? [])
        {
            attributes[key] = value?.DeepClone();
        }

        return new RecordToWrite(i, attributes);
    }

    [Fact]
    public async Task Throttled_upserts_by_key_across_four_principals_land_at_most_once_each_without_retry_after_violations()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Limits:Enabled", "true"), ("Emulator:Limits:WindowSeconds", "2"), ("Emulator:Limits:MaxRequests", "1")));
        using var client = DataverseClient.Create(EmulatorDataverse.Options(server, principals: 4, o => o.MaxThrottleWait = TimeSpan.FromSeconds(20)));
        var table = await client.Metadata.GetAsync("account");
        // One request per principal per window: each principal's second request in flight at the start (two before the
        // server's concurrency hint is known) is throttled on a machine of any speed.
        var rows = Enumerable.Range(0, 40_000).Select(Account).ToList();

        var result = await client.Writer.WriteAsync(new WriteRequest(table, WriteMode.Upsert, ["accountnumber"]), rows);

        using var stats = await EmulatorClient.ConnectAsync(server);
        var json = await stats.StatsAsync();
        // Tight limits on a loaded machine may leave some rows deferred (layer 2 sends them again); none is lost or doubled.
        int written = result.Count(RecordOutcome.Written);
        Assert.Equal(40_000, written + result.Count(RecordOutcome.Deferred));
        Assert.True(written >= 20_000, $"{written} written");
        Assert.Equal(written, (int)json["tables"]!["account"]!["records"]!);
        Assert.Equal(written, (int)json["tables"]!["account"]!["created"]!);
        Assert.Equal(0, (int)json["totals"]!["retryAfterViolations"]!);
        Assert.True((int)json["totals"]!["throttled"]! > 0, "the limits should have throttled the run");
        Assert.All(Enumerable.Range(1, 4), i => Assert.True((int)json["principals"]![$"empower-app-{i}"]!["requests"]! > 0));
    }

    [Theory]
    [InlineData(nameof(WriteMode.Insert))]
    [InlineData(nameof(WriteMode.Upsert))]
    public async Task Injected_faults_lose_and_duplicate_nothing(string modeName)
    {
        var mode = Enum.Parse<WriteMode>(modeName);
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Faults:ServiceUnavailableRate", "0.05"), ("Emulator:Faults:ConnectionResetRate", "0.01"),
            ("Emulator:Faults:DropResponseAfterCommitRate", "0.01"), ("Emulator:Faults:Seed", "7")));
        using var client = DataverseClient.Create(EmulatorDataverse.Options(server, principals: 2, o => o.BatchSize = 100));
        var table = await client.Metadata.GetAsync("account");
        var rows = Enumerable.Range(0, 20_000).Select(Account).ToList();

        var request = mode == WriteMode.Insert ? new WriteRequest(table, WriteMode.Insert) : new WriteRequest(table, WriteMode.Upsert, ["accountnumber"]);
        var result = await client.Writer.WriteAsync(request, rows);

        using var stats = await EmulatorClient.ConnectAsync(server);
        var json = await stats.StatsAsync();
        var faults = json["faults"]!.AsObject();
        Assert.Equal(20_000, result.Count(RecordOutcome.Written) + result.Count(RecordOutcome.AlreadyExisted));
        Assert.Equal(0, result.Count(RecordOutcome.Failed) + result.Count(RecordOutcome.Deferred));
        Assert.Equal(20_000, (int)json["tables"]!["account"]!["records"]!);
        Assert.Equal(20_000, (int)json["tables"]!["account"]!["created"]!);
        Assert.True(faults.Count(f => (int)f.Value! > 0) >= 3, $"all three kinds of fault should have happened: {faults.ToJsonString()}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Insert_under_heavy_faults_fails_no_row_it_created_itself(bool bulkActions)
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Faults:ServiceUnavailableRate", "0.1"), ("Emulator:Faults:TransientErrorRate", "0.05"), ("Emulator:Faults:ConnectionResetRate", "0.05"),
            ("Emulator:Faults:DropResponseAfterCommitRate", "0.4"), ("Emulator:Faults:Seed", "11")));
        using var client = DataverseClient.Create(EmulatorDataverse.Options(server, principals: 2, o =>
        {
            o.BatchSize = 25;
            o.InitialConcurrency = 8;
            o.MaxAttempts = 5;
            o.UseBulkActions = bulkActions;
            o.MaxThrottleWait = TimeSpan.FromSeconds(5);
        }));
        using var patient = DataverseClient.Create(EmulatorDataverse.Options(server, principals: 1));
        var table = await patient.Metadata.GetAsync("account");
        // Two rows share a key but not an id: one of them (whichever lands second) is the true duplicate the writer reports.
        var rows = Enumerable.Range(0, 1_000).Select(Account).Append(Account(7) with { RowId = 1_000, Id = Guid.NewGuid() }).ToList();
        var request = new WriteRequest(table, WriteMode.Insert);

        var outcomes = new Dictionary<long, RecordOutcome>();
        var pending = rows;
        // Rows deferred come back as layer 2 would send them: again, until none is left.
        for (int attempt = 0; attempt < 30 && pending.Count > 0; attempt++)
        {
            var result = await client.Writer.WriteAsync(request, pending);
            foreach (var record in result.Records)
            {
                outcomes[record.RowId] = record.Outcome;
            }

            pending = [.. pending.Where(r => outcomes[r.RowId] == RecordOutcome.Deferred)];
        }

        using var stats = await EmulatorClient.ConnectAsync(server);
        var json = await stats.StatsAsync();
        Assert.Empty(pending);
        Assert.Contains(Assert.Single(outcomes, o => o.Value == RecordOutcome.Failed).Key, new long[] { 7, 1_000 });
        Assert.Equal(1_000, outcomes.Count(o => o.Value is RecordOutcome.Written or RecordOutcome.AlreadyExisted));
        Assert.Equal(1_000, (int)json["tables"]!["account"]!["records"]!);
        Assert.True((int)json["faults"]!["DropResponseAfterCommit"]! > 0, json["faults"]!.ToJsonString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Bad_rows_are_isolated_with_their_dataverse_errors_and_good_rows_land(bool bulkActions)
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        using var client = DataverseClient.Create(EmulatorDataverse.Options(server, principals: 1, o => o.UseBulkActions = bulkActions));
        var table = await client.Metadata.GetAsync("contact");
        var rows = Enumerable.Range(0, 100).Select(i => Contact(i)).ToList();
        rows[10] = Contact(10, new JsonObject { ["firstname"] = new string('x', 51) });
        rows[37] = Contact(37, new JsonObject { ["numberofchildren"] = "many" });
        rows[52] = Contact(52, new JsonObject { ["parentcustomerid_account@odata.bind"] = "/accounts(accountnumber='NO-SUCH')" });
        rows[90] = Contact(90, new JsonObject { ["gendercode"] = 7 });

        var result = await client.Writer.WriteAsync(new WriteRequest(table, WriteMode.Upsert, ["emailaddress1"]), rows);

        var failed = result.Records.Where(r => r.Outcome == RecordOutcome.Failed).ToDictionary(r => r.RowId, r => r.Error!.Code);
        Assert.Equal(96, result.Count(RecordOutcome.Written));
        Assert.Equal(new Dictionary<long, string> { [10] = "0x80044331", [37] = "0x80048d19", [52] = "0x80060891", [90] = "0x8004431a" }, failed);
        using var stats = await EmulatorClient.ConnectAsync(server);
        var json = await stats.StatsAsync();
        Assert.Equal(96, (int)json["tables"]!["contact"]!["records"]!);
        // Metadata, then: bulk requests split in halves around each bad row, or one $batch whose items answer alone.
        int requests = (int)json["principals"]!["empower-app-1"]!["requests"]!;
        Assert.True(bulkActions ? requests > 10 : requests == 2, $"{requests} requests");
    }

    [Fact]
    public async Task Insert_through_batch_requests_survives_lost_responses_without_duplicates()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Faults:ConnectionResetRate", "0.05"), ("Emulator:Faults:DropResponseAfterCommitRate", "0.05"), ("Emulator:Faults:Seed", "3")));
        using var client = DataverseClient.Create(EmulatorDataverse.Options(server, principals: 2, o =>
        {
            o.UseBulkActions = false;
            o.BatchSize = 50;
        }));
        var table = await client.Metadata.GetAsync("account");

        var result = await client.Writer.WriteAsync(new WriteRequest(table, WriteMode.Insert), Enumerable.Range(0, 3_000).Select(Account).ToList());

        using var stats = await EmulatorClient.ConnectAsync(server);
        var json = await stats.StatsAsync();
        Assert.Equal(3_000, result.Count(RecordOutcome.Written) + result.Count(RecordOutcome.AlreadyExisted));
        Assert.True(result.Count(RecordOutcome.AlreadyExisted) > 0, "a dropped response should have been recovered as already existing");
        Assert.Equal(3_000, (int)json["tables"]!["account"]!["records"]!);
    }

    [Fact]
    public async Task A_principal_with_a_wrong_secret_is_taken_out_and_the_others_carry_the_load()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        const string wrongSecret = "not-the-secret-42";
        using var client = DataverseClient.Create(EmulatorDataverse.Options(server, principals: 3, o => o.Principals[1].ClientSecret = wrongSecret));
        var table = await client.Metadata.GetAsync("account");

        var result = await client.Writer.WriteAsync(new WriteRequest(table, WriteMode.Upsert, ["accountnumber"]),
            Enumerable.Range(0, 5_000).Select(Account).ToList());

        Assert.Equal(5_000, result.Count(RecordOutcome.Written));
        var failure = client.Pool.Principals[1].Failure;
        Assert.NotNull(failure);
        Assert.Contains("empower-app-2", failure);
        Assert.DoesNotContain(wrongSecret, failure);
        Assert.Null(client.Pool.Principals[0].Failure);
        Assert.Null(client.Pool.Principals[2].Failure);
    }

    [Fact]
    public async Task Work_that_cannot_be_sent_within_the_wait_limit_comes_back_deferred_with_its_retry_time()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Limits:Enabled", "true"), ("Emulator:Limits:WindowSeconds", "30"), ("Emulator:Limits:MaxRequests", "1")));
        using var client = DataverseClient.Create(EmulatorDataverse.Options(server, principals: 1, o =>
        {
            o.BatchSize = 10;
            o.MaxThrottleWait = TimeSpan.FromSeconds(2);
        }));
        var table = await client.Metadata.GetAsync("account");
        var started = DateTimeOffset.UtcNow;

        var result = await client.Writer.WriteAsync(new WriteRequest(table, WriteMode.Upsert, ["accountnumber"]),
            Enumerable.Range(0, 30).Select(Account).ToList());

        using var stats = await EmulatorClient.ConnectAsync(server);
        var json = await stats.StatsAsync();
        Assert.Equal(0, result.Count(RecordOutcome.Failed));
        Assert.Equal(30, result.Count(RecordOutcome.Written) + result.Count(RecordOutcome.Deferred));
        Assert.True(result.Count(RecordOutcome.Deferred) >= 10);
        Assert.True(result.EarliestRetry > started.AddSeconds(2));
        Assert.Equal(result.Count(RecordOutcome.Written), (int)json["tables"]!["account"]!["records"]!);
        Assert.Equal(0, (int)json["totals"]!["retryAfterViolations"]!);
    }

    [Fact]
    public async Task Metadata_describes_keys_lookups_and_choices()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        using var client = DataverseClient.Create(EmulatorDataverse.Options(server, principals: 1));

        var contact = await client.Metadata.GetAsync("contact");

        Assert.Equal("contacts", contact.EntitySetName);
        Assert.Equal("contactid", contact.PrimaryIdAttribute);
        Assert.NotNull(contact.FindKey(["emailaddress1"]));
        Assert.Equal("parentcustomerid_account", contact.Lookups.Single(l => l.Attribute == "parentcustomerid").NavigationProperty);
        Assert.Equal(50, contact.Attributes["firstname"].MaxLength);
        Assert.Equal(["Male", "Female"], contact.Attributes["gendercode"].Options.Select(o => o.Label));
        Assert.Same(contact, await client.Metadata.GetAsync("contact"));
    }
}
