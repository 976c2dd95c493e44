using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>
/// Places where a client could tell the emulator from a real org, made as Microsoft documents them:
/// default state and status of a new record (https://learn.microsoft.com/power-apps/developer/data-platform/entity-operations-state-status),
/// optimistic concurrency on delete
/// (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#apply-optimistic-concurrency),
/// and malformed input that must be a 400, never a 500 or a dead process.
/// </summary>
public sealed class FidelityTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private EmulatorClient Client => emulator.Client;

    [Fact]
    public async Task A_new_record_is_active_so_a_filter_on_its_state_finds_it()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Client.PatchAsync("accounts(accountnumber='FI-STATE')",
            """{ "name": "Active by default" }""")).StatusCode);

        var record = await (await Client.GetAsync("accounts(accountnumber='FI-STATE')?$select=statecode,statuscode")).JsonAsync();
        var found = await (await Client.GetAsync("accounts?$select=accountnumber&$filter=statecode eq 0 and accountnumber eq 'FI-STATE'")).JsonAsync();

        Assert.Equal((0, 1), ((int)record["statecode"]!, (int)record["statuscode"]!));
        Assert.Single(found["value"]!.AsArray());
    }

    [Fact]
    public async Task A_delete_with_a_stale_If_Match_is_refused_with_412_and_deletes_nothing()
    {
        await Client.PatchAsync("accounts(accountnumber='FI-ETAG')", """{ "name": "v1" }""");
        string etag = (string)(await (await Client.GetAsync("accounts(accountnumber='FI-ETAG')")).JsonAsync())["@odata.etag"]!;
        await Client.PatchAsync("accounts(accountnumber='FI-ETAG')", """{ "name": "v2" }""");

        var stale = await Client.SendAsync(HttpMethod.Delete, "accounts(accountnumber='FI-ETAG')", null, ("If-Match", etag));
        var still = await Client.GetAsync("accounts(accountnumber='FI-ETAG')");
        string current = (string)(await still.JsonAsync())["@odata.etag"]!;
        var fresh = await Client.SendAsync(HttpMethod.Delete, "accounts(accountnumber='FI-ETAG')", null, ("If-Match", current));

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("0x80060882", (string)(await stale.JsonAsync())["error"]!["code"]!);
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, fresh.StatusCode);
    }

    [Fact]
    public async Task A_filter_nested_without_end_is_a_400_not_a_stack_overflow()
    {
        static string Nested(int depth) => new StringBuilder().Insert(0, "(", depth).Append("name eq 'x'").Append(')', depth).ToString();
        // A URL holds about a thousand levels; a $batch body holds any number (this one crashed the process before).
        string batch = $"--batch_D\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET accounts?$filter={Nested(100_000)} " +
            $"HTTP/1.1\r\n\r\n--batch_D--\r\n";

        var inUrl = await Client.GetAsync($"accounts?$filter={Uri.EscapeDataString(Nested(1_000))}");
        var inBatch = await Client.BatchAsync("batch_D", batch);
        var fine = await Client.GetAsync($"accounts?$filter={Uri.EscapeDataString(Nested(50))}");

        Assert.Equal(HttpStatusCode.BadRequest, inUrl.StatusCode);
        Assert.Contains("nests deeper than 100 levels", (string)(await inUrl.JsonAsync())["error"]!["message"]!);
        Assert.NotEqual(HttpStatusCode.InternalServerError, inBatch.StatusCode);
        Assert.Contains("nests deeper than 100 levels", await inBatch.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task Text_with_an_unpaired_surrogate_is_a_400_naming_the_attribute()
    {
        var response = await Client.PostAsync("accounts", """{ "name": "\ud800" }""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The value of 'name' is not valid text", (string)(await response.JsonAsync())["error"]!["message"]!);
    }

    [Fact]
    public async Task WhoAmI_called_with_POST_is_an_unknown_resource_as_in_Dataverse()
    {
        var response = await Client.PostAsync("WhoAmI", "{}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Counts_stop_at_5000_and_say_so_on_request_and_slash_count_answers_in_plain_text()
    {
        foreach (var chunk in Enumerable.Range(0, 5_010).Chunk(1_000))
        {
            var targets = new JsonArray([.. chunk.Select(i => (JsonNode)new JsonObject
            {
                ["@odata.type"] = "Microsoft.Dynamics.CRM.account", ["name"] = $"Counted {i}", ["accountnumber"] = $"FC-{i:D5}",
            })]);
            Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("accounts/Microsoft.Dynamics.CRM.CreateMultiple",
                new JsonObject { ["Targets"] = targets }.ToJsonString())).StatusCode);
        }

        const string Many = "$filter=startswith(accountnumber,'FC-')";
        const string Few = "$filter=startswith(accountnumber,'FC-0000')";
        var counted = await (await Client.GetAsync($"accounts?$select=name&{Many}&$count=true",
            ("Prefer", "odata.maxpagesize=10,odata.include-annotations=\"Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded\""))).JsonAsync();
        var few = await (await Client.GetAsync($"accounts?$select=name&{Few}&$count=true", ("Prefer", "odata.include-annotations=\"*\""))).JsonAsync();
        var plain = await Client.GetAsync($"accounts/$count?{Few}");
        var plainMany = await Client.GetAsync($"accounts/$count?{Many}");
        var withSelect = await Client.GetAsync("accounts/$count?$select=name");

        Assert.Equal((5000, 5000, true), ((int)counted["@odata.count"]!, (int)counted["@Microsoft.Dynamics.CRM.totalrecordcount"]!,
            (bool)counted["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"]!));
        Assert.Equal(10, counted["value"]!.AsArray().Count);
        Assert.Equal((10, false), ((int)few["@odata.count"]!, (bool)few["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"]!));
        Assert.Equal(("10", "text/plain"), (await plain.Content.ReadAsStringAsync(), plain.Content.Headers.ContentType!.MediaType));
        Assert.Equal("5000", await plainMany.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, withSelect.StatusCode);
    }

    [Fact]
    public async Task Top_wins_over_the_page_size_and_stored_queries_are_refused_rather_than_answered_with_every_row()
    {
        for (int i = 0; i < 6; i++)
        {
            await Client.PatchAsync($"accounts(accountnumber='FT-{i}')", $$"""{ "name": "Top {{i}}" }""");
        }

        var top = await Client.GetAsync("accounts?$select=accountnumber&$filter=startswith(accountnumber,'FT-')&$top=5", ("Prefer", "odata.maxpagesize=2"));
        var body = await top.JsonAsync();
        var fetch = await Client.GetAsync($"accounts?fetchXml={Uri.EscapeDataString("<fetch top='1'><entity name='account'/></fetch>")}");
        var saved = await Client.GetAsync($"accounts?savedQuery={Guid.NewGuid()}");

        Assert.Equal(5, body["value"]!.AsArray().Count);
        Assert.Null(body["@odata.nextLink"]);
        Assert.False(top.Headers.Contains("Preference-Applied"));
        Assert.Equal(HttpStatusCode.BadRequest, fetch.StatusCode);
        Assert.Contains("'fetchXml' is not supported by the emulator", (string)(await fetch.JsonAsync())["error"]!["message"]!);
        Assert.Equal(HttpStatusCode.BadRequest, saved.StatusCode);
    }

    [Fact]
    public async Task A_conditional_retrieve_of_an_unchanged_record_answers_304_and_of_a_changed_one_the_record()
    {
        await Client.PatchAsync("accounts(accountnumber='FI-304')", """{ "name": "v1" }""");
        string etag = (string)(await (await Client.GetAsync("accounts(accountnumber='FI-304')")).JsonAsync())["@odata.etag"]!;

        var unchanged = await Client.GetAsync("accounts(accountnumber='FI-304')", ("If-None-Match", etag));
        await Client.PatchAsync("accounts(accountnumber='FI-304')", """{ "name": "v2" }""");
        var changed = await Client.GetAsync("accounts(accountnumber='FI-304')", ("If-None-Match", etag));

        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal("", await unchanged.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("v2", (string)(await changed.JsonAsync())["name"]!);
    }

    [Fact]
    public async Task A_quoted_guid_or_date_in_a_filter_is_refused_as_Dataverse_refuses_it_and_bare_ones_match()
    {
        await Client.PatchAsync("accounts(accountnumber='FI-LIT')", """{ "name": "Literals" }""");
        string id = (string)(await (await Client.GetAsync("accounts(accountnumber='FI-LIT')")).JsonAsync())["accountid"]!;

        var quotedId = await Client.GetAsync($"accounts?$filter=accountid eq '{id}'");
        var quotedDate = await Client.GetAsync("accounts?$filter=createdon gt '2020-01-01T00:00:00Z'");
        var bareId = await (await Client.GetAsync($"accounts?$select=accountnumber&$filter=accountid eq {id}")).JsonAsync();
        var bareDate = await Client.GetAsync("accounts?$select=accountnumber&$filter=createdon gt 2020-01-01T00:00:00Z and accountnumber eq 'FI-LIT'");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (quotedId.StatusCode, quotedDate.StatusCode));
        Assert.Contains("Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'",
            (string)(await quotedId.JsonAsync())["error"]!["message"]!);
        Assert.Equal("FI-LIT", (string)bareId["value"]![0]!["accountnumber"]!);
        Assert.Single((await bareDate.JsonAsync())["value"]!.AsArray());
    }
}
