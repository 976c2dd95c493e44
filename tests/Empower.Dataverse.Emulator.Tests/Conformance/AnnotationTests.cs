using System.Net;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>
/// Formatted values and lookup annotations, as "Formatted values" and "Lookup property data" in
/// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/select-columns describe them: only what
/// <c>Prefer: odata.include-annotations</c> asks for.
/// </summary>
public sealed class AnnotationTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private const string Formatted = "@OData.Community.Display.V1.FormattedValue";

    [Fact]
    public async Task Every_annotation_comes_with_a_star_and_none_without_the_preference()
    {
        await emulator.Client.PostAsync("accounts", """
            {"name":"Annotated Ltd","accountnumber":"ANN-1","creditlimit":12345.5,"creditonhold":true,"numberofemployees":1200,"industrycode":7}
            """);
        await emulator.Client.PostAsync("contacts", """
            {"lastname":"Annotated","emailaddress1":"ann@example.com","gendercode":2,"birthdate":"1990-05-17",
             "parentcustomerid_account@odata.bind":"/accounts(accountnumber='ANN-1')"}
            """);
        const string Contact = "contacts(emailaddress1='ann@example.com')?$select=gendercode,birthdate,statecode,_parentcustomerid_value";

        var all = await (await emulator.Client.GetAsync(Contact, ("Prefer", "odata.include-annotations=\"*\""))).JsonAsync();
        var account = await (await emulator.Client.GetAsync("accounts?$select=creditlimit,creditonhold,numberofemployees,industrycode&" +
            "$filter=accountnumber eq 'ANN-1'", ("Prefer", "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\""))).JsonAsync();
        var plain = await (await emulator.Client.GetAsync(Contact)).JsonAsync();

        Assert.Equal("Female", (string?)all["gendercode" + Formatted]);
        Assert.Equal("Active", (string?)all["statecode" + Formatted]);
        Assert.Equal("5/17/1990", (string?)all["birthdate" + Formatted]);
        Assert.Equal("Annotated Ltd", (string?)all["_parentcustomerid_value" + Formatted]);
        Assert.Equal("account", (string?)all["_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]);
        Assert.Equal("parentcustomerid_account", (string?)all["_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty"]);
        var row = account["value"]![0]!;
        Assert.Equal(("$12,345.50", "Yes", "1,200", "Consulting"), ((string?)row["creditlimit" + Formatted], (string?)row["creditonhold" + Formatted],
            (string?)row["numberofemployees" + Formatted], (string?)row["industrycode" + Formatted]));
        Assert.DoesNotContain(plain, p => p.Key.Contains("@OData.Community", StringComparison.Ordinal) || p.Key.Contains("@Microsoft", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_the_annotations_asked_for_come()
    {
        await emulator.Client.PostAsync("accounts", """{"name":"Named Only","accountnumber":"ANN-2"}""");
        await emulator.Client.PostAsync("contacts", """
            {"lastname":"Lookup","emailaddress1":"ann-2@example.com","parentcustomerid_account@odata.bind":"/accounts(accountnumber='ANN-2')"}
            """);

        var response = await emulator.Client.GetAsync("contacts(emailaddress1='ann-2@example.com')?$select=_parentcustomerid_value",
            ("Prefer", "odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\""));
        var body = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("account", (string?)body["_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]);
        Assert.Null(body["_parentcustomerid_value" + Formatted]);
        Assert.Null(body["_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty"]);
    }
}
