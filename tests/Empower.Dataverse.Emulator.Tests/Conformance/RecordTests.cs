using System.Net;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>
/// Create, retrieve, upsert and delete as documented in
/// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api,
/// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/retrieve-entity-using-web-api and
/// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api.
/// </summary>
public sealed class RecordTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private EmulatorClient Client => emulator.Client;

    [Fact]
    public async Task Create_answers_204_with_the_record_URL_in_OData_EntityId()
    {
        var response = await Client.PostAsync("accounts",
            """{"name":"Contoso","accountnumber":"REC-1","revenue":1000.456,"industrycode":3,"creditonhold":false}""");
        string entityId = response.Header("OData-EntityId");
        var record = await (await Client.GetAsync(entityId[entityId.IndexOf("accounts(", StringComparison.Ordinal)..])).JsonAsync();

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Matches(@"/api/data/v9\.2/accounts\([0-9a-f-]{36}\)$", entityId);
        Assert.Equal("Contoso", (string)record["name"]!);
        Assert.Equal(1000.46m, (decimal)record["revenue"]!);
        Assert.Equal(3, (int)record["industrycode"]!);
        Assert.False((bool)record["creditonhold"]!);
        Assert.Matches("^W/\"\\d+\"$", (string)record["@odata.etag"]!);
    }

    [Fact]
    public async Task Create_with_return_representation_answers_201_with_the_selected_columns()
    {
        var id = Guid.NewGuid();
        var response = await Client.PostAsync("accounts?$select=name,accountnumber",
            $$"""{"accountid":"{{id}}","name":"Fabrikam","accountnumber":"REC-2"}""", ("Prefer", "return=representation"));
        var body = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(id.ToString(), (string)body["accountid"]!);
        Assert.Equal("Fabrikam", (string)body["name"]!);
        Assert.Null(body["telephone1"]);
        Assert.EndsWith("$metadata#accounts/$entity", (string)body["@odata.context"]!);
    }

    [Fact]
    public async Task Create_with_an_existing_id_or_alternate_key_is_a_duplicate()
    {
        var id = Guid.NewGuid();
        await Client.PostAsync("accounts", $$"""{"accountid":"{{id}}","name":"A","accountnumber":"REC-3"}""");
        var sameId = await Client.PostAsync("accounts", $$"""{"accountid":"{{id}}","name":"B"}""");
        var sameKey = await Client.PostAsync("accounts", """{"name":"C","accountnumber":"REC-3"}""");

        // Microsoft's Web API error list gives DuplicateRecord the status 412 Precondition Failed.
        Assert.Equal((HttpStatusCode.PreconditionFailed, HttpStatusCode.PreconditionFailed), (sameId.StatusCode, sameKey.StatusCode));
        Assert.Equal("0x80040237", await sameId.ErrorCodeAsync());
        Assert.Equal("0x80040237", await sameKey.ErrorCodeAsync());
        Assert.Contains("empower_accountnumber_key", (string)(await sameKey.JsonAsync())["error"]!["message"]!);
    }

    [Fact]
    public async Task Retrieve_by_alternate_key_composite_key_and_select()
    {
        await Client.PostAsync("empower_salesorderlines",
            """{"empower_name":"SO-1/2","empower_ordernumber":"SO-1","empower_linenumber":2,"empower_quantity":3.25,"empower_shippedon":"2024-05-01T10:20:30.999+02:00"}""");

        var line = await (await Client.GetAsync(
            "empower_salesorderlines(empower_ordernumber='SO-1',empower_linenumber=2)?$select=empower_quantity,empower_shippedon")).JsonAsync();
        var reordered = await Client.GetAsync("empower_salesorderlines(empower_linenumber=2,empower_ordernumber='SO-1')");
        var missing = await Client.GetAsync("empower_salesorderlines(empower_ordernumber='SO-1',empower_linenumber=3)");
        var notAKey = await Client.GetAsync("empower_salesorderlines(empower_ordernumber='SO-1')");

        Assert.Equal(3.25m, (decimal)line["empower_quantity"]!);
        Assert.Equal("2024-05-01T08:20:30Z", (string)line["empower_shippedon"]!);
        Assert.Null(line["empower_name"]);
        Assert.Equal(HttpStatusCode.OK, reordered.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        // RecordNotFoundByEntityKey: the code Dataverse gives a record addressed by a key no record has (by id it is 0x80040217).
        Assert.Equal("0x80060891", await missing.ErrorCodeAsync());
        Assert.Equal(HttpStatusCode.BadRequest, notAKey.StatusCode);
        Assert.Contains("empower_orderline_key", (string)(await notAKey.JsonAsync())["error"]!["message"]!);
    }

    [Fact]
    public async Task Upsert_by_alternate_key_creates_then_updates_the_same_record()
    {
        var created = await Client.PatchAsync("contacts(emailaddress1='ups@example.com')", """{"lastname":"First","firstname":"Ann"}""");
        var updated = await Client.PatchAsync("contacts(emailaddress1='ups@example.com')", """{"lastname":"Second"}""", ("Prefer", "return=representation"));
        var body = await updated.JsonAsync();
        var all = await (await Client.GetAsync("contacts?$filter=emailaddress1 eq 'ups@example.com'")).JsonAsync();

        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Second", (string)body["lastname"]!);
        Assert.Equal("Ann", (string)body["firstname"]!);
        Assert.Single(all["value"]!.AsArray());
    }

    [Fact]
    public async Task Keys_lookups_by_key_and_filters_ignore_case_as_Dataverse_collations_do()
    {
        await Client.PatchAsync("contacts(emailaddress1='Case.Key@Example.com')", """{"lastname":"First"}""");
        var sameKeyOtherCase = await Client.PostAsync("contacts", """{"lastname":"Second","emailaddress1":"CASE.KEY@EXAMPLE.COM"}""");
        var upserted = await Client.PatchAsync("contacts(emailaddress1='case.key@example.com')", """{"lastname":"Third"}""");
        var byKey = await (await Client.GetAsync("contacts(emailaddress1='CASE.key@example.COM')?$select=lastname")).JsonAsync();
        var filtered = await (await Client.GetAsync("contacts?$filter=emailaddress1 eq 'case.key@example.com'&$select=lastname")).JsonAsync();

        Assert.Equal("0x80040237", await sameKeyOtherCase.ErrorCodeAsync());
        Assert.Equal(HttpStatusCode.NoContent, upserted.StatusCode);
        Assert.Equal("Third", (string)byKey["lastname"]!);
        Assert.Equal("Third", (string)filtered["value"]!.AsArray().Single()!["lastname"]!);
    }

    [Fact]
    public async Task If_Match_star_updates_only_and_If_None_Match_star_creates_only()
    {
        var updateMissing = await Client.PatchAsync("accounts(accountnumber='REC-IFM')", """{"name":"x"}""", ("If-Match", "*"));
        var createOnce = await Client.PatchAsync("accounts(accountnumber='REC-IFM')", """{"name":"x"}""", ("If-None-Match", "*"));
        var createTwice = await Client.PatchAsync("accounts(accountnumber='REC-IFM')", """{"name":"y"}""", ("If-None-Match", "*"));
        var updateExisting = await Client.PatchAsync("accounts(accountnumber='REC-IFM')", """{"name":"z"}""", ("If-Match", "*"));
        var staleEtag = await Client.PatchAsync("accounts(accountnumber='REC-IFM')", """{"name":"w"}""", ("If-Match", "W/\"1\""));

        Assert.Equal(HttpStatusCode.NotFound, updateMissing.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, createOnce.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, createTwice.StatusCode);
        Assert.Equal("0x80040237", await createTwice.ErrorCodeAsync());
        Assert.Equal(HttpStatusCode.NoContent, updateExisting.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleEtag.StatusCode);
        Assert.Equal("z", (string)(await (await Client.GetAsync("accounts(accountnumber='REC-IFM')")).JsonAsync())["name"]!);
    }

    [Fact]
    public async Task Upsert_by_id_creates_the_record_with_that_id()
    {
        var id = Guid.NewGuid();
        var response = await Client.PatchAsync($"accounts({id})", """{"name":"By id"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.EndsWith($"accounts({id})", response.Header("OData-EntityId"));
        Assert.Equal("By id", (string)(await (await Client.GetAsync($"accounts({id})")).JsonAsync())["name"]!);
    }

    [Fact]
    public async Task Upsert_body_contradicting_the_key_is_refused()
    {
        var response = await Client.PatchAsync("accounts(accountnumber='REC-K1')", """{"name":"x","accountnumber":"REC-K2"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("accountnumber", (string)(await response.JsonAsync())["error"]!["message"]!);
    }

    [Fact]
    public async Task Delete_removes_the_record_and_a_second_delete_is_not_found()
    {
        await Client.PostAsync("accounts", """{"name":"Gone","accountnumber":"REC-DEL"}""");
        var first = await Client.DeleteAsync("accounts(accountnumber='REC-DEL')");
        var second = await Client.DeleteAsync("accounts(accountnumber='REC-DEL')");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
    }

    [Fact]
    public async Task Lookups_bind_by_id_or_alternate_key_and_read_back_as_value_properties()
    {
        var account = await Client.PostAsync("accounts", """{"name":"Parent","accountnumber":"REC-PARENT"}""");
        string accountId = account.Header("OData-EntityId")[^37..^1];
        await Client.PostAsync("contacts",
            """{"lastname":"ByKey","emailaddress1":"bykey@example.com","parentcustomerid_account@odata.bind":"/accounts(accountnumber='REC-PARENT')"}""");
        await Client.PostAsync("contacts",
            $$"""{"lastname":"ById","emailaddress1":"byid@example.com","parentcustomerid_account@odata.bind":"accounts({{accountId}})"}""");
        var missingKey = await Client.PostAsync("contacts",
            """{"lastname":"Orphan","parentcustomerid_account@odata.bind":"/accounts(accountnumber='NO-SUCH')"}""");
        var missingId = await Client.PostAsync("contacts", $$"""{"lastname":"Orphan","parentcustomerid_account@odata.bind":"/accounts({{Guid.NewGuid()}})"}""");
        var wrongSet = await Client.PostAsync("contacts", """{"lastname":"Orphan","parentcustomerid_account@odata.bind":"/contacts(emailaddress1='x')"}""");

        var children = await (await Client.GetAsync($"contacts?$select=lastname,_parentcustomerid_value&$filter=_parentcustomerid_value eq " +
            $"{accountId}&$orderby=lastname")).JsonAsync();
        Assert.Equal(["ById", "ByKey"], children["value"]!.AsArray().Select(c => (string)c!["lastname"]!));
        Assert.All(children["value"]!.AsArray(), c => Assert.Equal(accountId, (string)c!["_parentcustomerid_value"]!));
        Assert.Equal("0x80060891", await missingKey.ErrorCodeAsync());
        Assert.Equal("0x80040217", await missingId.ErrorCodeAsync());
        Assert.Equal(HttpStatusCode.BadRequest, wrongSet.StatusCode);
    }
}
