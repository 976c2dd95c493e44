using System.Net;
using System.Xml.Linq;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>
/// The service document and the CSDL <c>$metadata</c> document that generic OData clients start from, as
/// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-service-documents describes them.
/// </summary>
public sealed class ServiceDocumentTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private static readonly XNamespace Edm = "http://docs.oasis-open.org/odata/ns/edm";

    [Fact]
    public async Task The_service_root_lists_every_entity_set()
    {
        var response = await emulator.Client.GetAsync("");
        var body = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("/api/data/v9.2/$metadata", (string)body["@odata.context"]!);
        Assert.Equal(["accounts", "contacts", "empower_salesorderlines"], body["value"]!.AsArray().Select(s => (string)s!["url"]!).Order());
        Assert.All(body["value"]!.AsArray(), s => Assert.Equal("EntitySet", (string)s!["kind"]!));
    }

    [Fact]
    public async Task Metadata_is_a_CSDL_document_with_each_table_its_key_typed_properties_lookups_and_entity_set()
    {
        var response = await emulator.Client.GetAsync("$metadata");
        var csdl = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var schema = csdl.Descendants(Edm + "Schema").Single();
        var contact = schema.Elements(Edm + "EntityType").Single(e => (string?)e.Attribute("Name") == "contact");
        string? TypeOf(string property) =>
            (string?)contact.Elements(Edm + "Property").SingleOrDefault(p => (string?)p.Attribute("Name") == property)?.Attribute("Type");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("4.0", (string?)csdl.Root!.Attribute("Version"));
        Assert.Equal(("Microsoft.Dynamics.CRM", "mscrm"), ((string?)schema.Attribute("Namespace"), (string?)schema.Attribute("Alias")));
        Assert.Equal("contactid", (string?)contact.Element(Edm + "Key")!.Element(Edm + "PropertyRef")!.Attribute("Name"));
        Assert.Equal(("Edm.String", "Edm.Int32", "Edm.Date", "Edm.Guid", "Edm.Guid"),
            (TypeOf("lastname"), TypeOf("gendercode"), TypeOf("birthdate"), TypeOf("_parentcustomerid_value"), TypeOf("contactid")));
        Assert.Equal("mscrm.account", (string?)contact.Elements(Edm + "NavigationProperty")
            .Single(n => (string?)n.Attribute("Name") == "parentcustomerid_account").Attribute("Type"));
        var contacts = csdl.Descendants(Edm + "EntitySet").Single(s => (string?)s.Attribute("Name") == "contacts");
        Assert.Equal("mscrm.contact", (string?)contacts.Attribute("EntityType"));
        Assert.Equal("accounts", (string?)contacts.Element(Edm + "NavigationPropertyBinding")!.Attribute("Target"));
        Assert.Contains("UpsertMultiple", schema.Elements(Edm + "Action").Select(a => (string?)a.Attribute("Name")));
    }

    [Fact]
    public async Task The_documents_need_a_token_and_are_read_only()
    {
        using var anonymous = new HttpClient { BaseAddress = emulator.Client.ServiceRoot };
        var withoutToken = await anonymous.GetAsync("$metadata");
        var post = await emulator.Client.PostAsync("$metadata", "{}");

        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }
}
