using System.Net;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>
/// Dataverse-shaped 400s for bad payloads and URLs: <c>{"error":{"code","message"}}</c> with Dataverse's codes
/// (https://learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes).
/// </summary>
public sealed class ValidationTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    [Theory]
    [InlineData("accounts", """{"name":"x","accountnumber":"this-account-number-is-far-too-long"}""", "0x80044331", "accountnumber")]
    [InlineData("accounts", """{"name":"x","numberofemployees":"many"}""", "0x80048d19", "Edm.Int32")]
    [InlineData("accounts", """{"name":"x","industrycode":99}""", "0x8004431a", "industrycode")]
    [InlineData("accounts", """{"name":"x","revenue":-5}""", "0x8004431a", "revenue")]
    [InlineData("accounts", """{"name":"x","creditonhold":"yes"}""", "0x80048d19", "Edm.Boolean")]
    [InlineData("accounts", """{"name":"x","lastusedincampaign":"not a date"}""", "0x80048d19", "Edm.DateTimeOffset")]
    [InlineData("accounts", """{"name":"x","nosuchcolumn":1}""", "0x80060888", "nosuchcolumn")]
    [InlineData("accounts", """{"name":"x","parentaccountid":"00000000-0000-0000-0000-000000000001"}""", "0x80048d19", "@odata.bind")]
    [InlineData("accounts", """{"name":"x",""", "0x80048d19", "not valid JSON")]
    [InlineData("accounts", """[1,2]""", "0x80048d19", "JSON object")]
    [InlineData("empower_salesorderlines", """{"empower_ordernumber":"V-1"}""", "0x80040203", "empower_name")]
    [InlineData("empower_salesorderlines", """{"empower_name":null}""", "0x80040203", "empower_name")]
    [InlineData("contacts", """{"@odata.type":"Microsoft.Dynamics.CRM.account","lastname":"x"}""", "0x80048d19", "@odata.type")]
    public async Task Invalid_payloads_are_refused_with_the_Dataverse_code(string set, string body, string code, string mentioned)
    {
        var response = await emulator.Client.PostAsync(set, body);
        var error = (await response.JsonAsync())["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (string)error["code"]!);
        Assert.Contains(mentioned, (string)error["message"]!);
    }

    [Theory]
    [InlineData("nosuchset", 404, "nosuchset")]
    [InlineData("accounts(accountnumber='unterminated)", 400, "missing ')'")]
    [InlineData("accounts(accountnumber=='x')", 400, "Error in query syntax")]
    [InlineData("accounts(12345)", 400, "Error in query syntax")]
    [InlineData("accounts?$filter=name eq", 400, "$filter")]
    [InlineData("accounts?$filter=nosuch eq 1", 400, "nosuch")]
    [InlineData("accounts?$filter=numberofemployees eq 'ten'", 400, "Edm.Int32")]
    [InlineData("accounts?$select=name,nosuch", 400, "nosuch")]
    [InlineData("accounts?$expand=primarycontactid", 400, "$expand")]
    [InlineData("accounts?$top=-1", 400, "$top")]
    [InlineData("accounts(accountnumber='x')/name", 400, "name")]
    [InlineData("accounts/Microsoft.Dynamics.CRM.DeleteMultiple", 400, "DeleteMultiple")]
    public async Task Bad_URLs_are_refused_with_a_message_naming_the_fault(string path, int status, string mentioned)
    {
        var response = path.Contains("Multiple", StringComparison.Ordinal)
            ? await emulator.Client.PostAsync(path, """{"Targets":[]}""")
            : await emulator.Client.GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(mentioned, (string)(await response.JsonAsync())["error"]!["message"]!);
    }

    [Fact]
    public async Task Wrong_method_is_405()
    {
        var response = await emulator.Client.SendAsync(HttpMethod.Put, "accounts", "{}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Garbage_never_breaks_the_store()
    {
        var random = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 200)];
            random.NextBytes(bytes);
            var junk = await emulator.Client.PostAsync(i % 2 == 0 ? "accounts" : "accounts/Microsoft.Dynamics.CRM.UpsertMultiple",
                System.Text.Encoding.Latin1.GetString(bytes));
            Assert.Equal(HttpStatusCode.BadRequest, junk.StatusCode);
        }

        var after = await emulator.Client.PostAsync("accounts", """{"name":"still fine","accountnumber":"VAL-AFTER"}""");
        Assert.Equal(HttpStatusCode.NoContent, after.StatusCode);
    }
}
