using System.Net;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>EntityDefinitions as https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api shapes them.</summary>
public sealed class MetadataTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Entity_definition_lists_entity_set_primary_id_attributes_and_keys()
    {
        var response = await emulator.Client.GetAsync(
            "EntityDefinitions(LogicalName='contact')?$select=LogicalName,EntitySetName,PrimaryIdAttribute&$expand=Attributes,Keys,ManyToOneRelationships");
        var contact = await response.JsonAsync();
        var attributes = contact["Attributes"]!.AsArray().ToDictionary(a => (string)a!["LogicalName"]!, a => a!.AsObject());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("contacts", (string)contact["EntitySetName"]!);
        Assert.Null(contact["PrimaryNameAttribute"]);
        Assert.Equal("contactid", (string)contact["PrimaryIdAttribute"]!);
        Assert.Equal("#Microsoft.Dynamics.CRM.StringAttributeMetadata", (string)attributes["lastname"]["@odata.type"]!);
        Assert.Equal(50, (int)attributes["lastname"]["MaxLength"]!);
        Assert.Equal("ApplicationRequired", (string)attributes["lastname"]["RequiredLevel"]!["Value"]!);
        Assert.Equal("Lookup", (string)attributes["parentcustomerid"]["AttributeType"]!);
        Assert.Equal("account", (string)attributes["parentcustomerid"]["Targets"]![0]!);
        Assert.Equal([1, 2], attributes["gendercode"]["OptionSet"]!["Options"]!.AsArray().Select(o => (int)o!["Value"]!));
        Assert.Equal("DateOnly", (string)attributes["birthdate"]["DateTimeBehavior"]!["Value"]!);
        Assert.Equal(["emailaddress1"], contact["Keys"]![0]!["KeyAttributes"]!.AsArray().Select(a => (string)a!));
        var relationship = contact["ManyToOneRelationships"]!.AsArray().Single(r => (string)r!["ReferencingAttribute"]! == "parentcustomerid")!;
        Assert.Equal("parentcustomerid_account", (string)relationship["ReferencingEntityNavigationPropertyName"]!);
    }

    [Fact]
    public async Task Money_and_decimal_attributes_carry_precision_and_range()
    {
        var line = await (await emulator.Client.GetAsync("EntityDefinitions(LogicalName='empower_salesorderline')?$expand=Attributes,Keys")).JsonAsync();
        var quantity = line["Attributes"]!.AsArray().Single(a => (string)a!["LogicalName"]! == "empower_quantity")!;

        Assert.Equal(4, (int)quantity["Precision"]!);
        Assert.Equal(0m, (decimal)quantity["MinValue"]!);
        Assert.Equal(["empower_ordernumber", "empower_linenumber"], line["Keys"]![0]!["KeyAttributes"]!.AsArray().Select(a => (string)a!));
    }

    [Fact]
    public async Task Entity_definitions_collection_lists_every_table()
    {
        var all = await (await emulator.Client.GetAsync("EntityDefinitions?$select=LogicalName,EntitySetName")).JsonAsync();

        Assert.Equal(["account", "contact", "empower_salesorderline"], all["value"]!.AsArray().Select(t => (string)t!["LogicalName"]!).Order());
    }

    [Fact]
    public async Task Unknown_table_and_unknown_expand_are_clear_errors()
    {
        var unknown = await emulator.Client.GetAsync("EntityDefinitions(LogicalName='nosuchtable')");
        var badExpand = await emulator.Client.GetAsync("EntityDefinitions(LogicalName='account')?$expand=Columns");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("nosuchtable", (string)(await unknown.JsonAsync())["error"]!["message"]!);
        Assert.Equal(HttpStatusCode.BadRequest, badExpand.StatusCode);
    }

    [Fact]
    public async Task Select_filter_and_expand_options_on_definitions_are_applied_and_what_is_not_supported_is_refused()
    {
        var contact = await (await emulator.Client.GetAsync("EntityDefinitions?$select=LogicalName&$filter=LogicalName eq 'contact'")).JsonAsync();
        var none = await (await emulator.Client.GetAsync("EntityDefinitions?$select=LogicalName&$filter=LogicalName eq 'nosuch'")).JsonAsync();
        var tracked = await (await emulator.Client.GetAsync(
            "EntityDefinitions?$select=LogicalName,ChangeTrackingEnabled&$filter=ChangeTrackingEnabled eq true")).JsonAsync();
        var either = await (await emulator.Client.GetAsync("EntityDefinitions?$select=LogicalName&$filter=LogicalName eq 'ACCOUNT' or LogicalName eq " +
            "'contact'")).JsonAsync();
        var attributes = await (await emulator.Client.GetAsync(
            "EntityDefinitions(LogicalName='account')?$select=LogicalName&$expand=Attributes($select=LogicalName,AttributeType),Keys")).JsonAsync();
        var nestedFilter = await emulator.Client.GetAsync("EntityDefinitions(LogicalName='account')?$expand=Attributes($filter=AttributeType eq 'String')");
        var function = await emulator.Client.GetAsync("EntityDefinitions?$filter=startswith(LogicalName,'a')");
        var top = await emulator.Client.GetAsync("EntityDefinitions?$top=1");

        Assert.Equal(["contact"], contact["value"]!.AsArray().Select(t => (string)t!["LogicalName"]!));
        Assert.Equal(["LogicalName", "MetadataId"], contact["value"]![0]!.AsObject().Select(p => p.Key).Order());
        Assert.Empty(none["value"]!.AsArray());
        Assert.All(tracked["value"]!.AsArray(), t => Assert.True((bool)t!["ChangeTrackingEnabled"]!));
        Assert.Contains("account", tracked["value"]!.AsArray().Select(t => (string)t!["LogicalName"]!));
        Assert.Equal(["account", "contact"], either["value"]!.AsArray().Select(t => (string)t!["LogicalName"]!).Order());
        Assert.All(attributes["Attributes"]!.AsArray(), a => Assert.Equal(["@odata.type", "AttributeType", "LogicalName", "MetadataId"],
            a!.AsObject().Select(p => p.Key).Order()));
        Assert.NotNull(attributes["Keys"]![0]!["KeyAttributes"]);
        Assert.Null(attributes["EntitySetName"]);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest),
            (nestedFilter.StatusCode, function.StatusCode, top.StatusCode));
    }
}
