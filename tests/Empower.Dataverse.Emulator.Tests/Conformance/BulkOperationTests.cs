using System.Net;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>
/// CreateMultiple / UpdateMultiple / UpsertMultiple as https://learn.microsoft.com/power-apps/developer/data-platform/bulk-operations
/// documents them for standard tables: one error rolls back the whole request.
/// </summary>
public sealed class BulkOperationTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private EmulatorClient Client => emulator.Client;

    [Fact]
    public async Task CreateMultiple_returns_the_ids_in_target_order()
    {
        var id = Guid.NewGuid();
        var response = await Client.PostAsync("accounts/Microsoft.Dynamics.CRM.CreateMultiple", $$"""
            {"Targets":[
              {"@odata.type":"Microsoft.Dynamics.CRM.account","name":"B1","accountnumber":"BULK-1"},
              {"@odata.type":"Microsoft.Dynamics.CRM.account","accountid":"{{id}}","name":"B2","accountnumber":"BULK-2"}]}
            """);
        var body = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse", (string)body["@odata.context"]!);
        Assert.Equal(2, body["Ids"]!.AsArray().Count);
        Assert.Equal(id.ToString(), (string)body["Ids"]![1]!);
    }

    [Fact]
    public async Task One_bad_target_rolls_back_the_whole_CreateMultiple()
    {
        var response = await Client.PostAsync("accounts/Microsoft.Dynamics.CRM.CreateMultiple", """
            {"Targets":[
              {"@odata.type":"Microsoft.Dynamics.CRM.account","name":"R1","accountnumber":"ROLL-1"},
              {"@odata.type":"Microsoft.Dynamics.CRM.account","name":"R2","accountnumber":"ROLL-2-is-much-too-long-for-the-column"}]}
            """);
        var first = await Client.GetAsync("accounts(accountnumber='ROLL-1')");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("0x80044331", await response.ErrorCodeAsync());
        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
    }

    [Fact]
    public async Task UpsertMultiple_by_alternate_key_creates_and_updates()
    {
        await Client.PostAsync("contacts", """{"lastname":"Old","emailaddress1":"um-1@example.com"}""");
        var response = await Client.PostAsync("contacts/Microsoft.Dynamics.CRM.UpsertMultiple", """
            {"Targets":[
              {"@odata.type":"Microsoft.Dynamics.CRM.contact","@odata.id":"contacts(emailaddress1='um-1@example.com')","lastname":"New"},
              {"@odata.type":"Microsoft.Dynamics.CRM.contact","@odata.id":"contacts(emailaddress1='um-2@example.com')","lastname":"Created"}]}
            """);
        var updated = await (await Client.GetAsync("contacts(emailaddress1='um-1@example.com')")).JsonAsync();
        var created = await (await Client.GetAsync("contacts(emailaddress1='um-2@example.com')")).JsonAsync();

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("New", (string)updated["lastname"]!);
        Assert.Equal("Created", (string)created["lastname"]!);
    }

    [Fact]
    public async Task UpsertMultiple_refuses_key_columns_repeated_in_the_body()
    {
        var response = await Client.PostAsync("contacts/Microsoft.Dynamics.CRM.UpsertMultiple", """
            {"Targets":[{"@odata.type":"Microsoft.Dynamics.CRM.contact","@odata.id":"contacts(emailaddress1='um-3@example.com')","emailaddress1":"um-3@example.com","lastname":"X"}]}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("emailaddress1", (string)(await response.JsonAsync())["error"]!["message"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("contacts(emailaddress1='um-3@example.com')")).StatusCode);
    }

    [Fact]
    public async Task UpdateMultiple_of_a_missing_record_fails_and_rolls_back()
    {
        var existing = await Client.PostAsync("accounts", """{"name":"Keep","accountnumber":"UPD-1"}""");
        string id = existing.Header("OData-EntityId")[^37..^1];
        var response = await Client.PostAsync("accounts/Microsoft.Dynamics.CRM.UpdateMultiple", $$"""
            {"Targets":[
              {"@odata.type":"Microsoft.Dynamics.CRM.account","accountid":"{{id}}","name":"Changed"},
              {"@odata.type":"Microsoft.Dynamics.CRM.account","accountid":"{{Guid.NewGuid()}}","name":"Missing"}]}
            """);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Keep", (string)(await (await Client.GetAsync($"accounts({id})")).JsonAsync())["name"]!);
    }

    [Theory]
    [InlineData("""{"Targets":[{"name":"no type"}]}""", "@odata.type")]
    [InlineData("""{"targets":[]}""", "Targets")]
    [InlineData("""{"Targets":{}}""", "Targets")]
    public async Task Malformed_bulk_bodies_are_refused(string body, string mentioned)
    {
        var response = await Client.PostAsync("accounts/Microsoft.Dynamics.CRM.CreateMultiple", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentioned, (string)(await response.JsonAsync())["error"]!["message"]!);
    }
}
