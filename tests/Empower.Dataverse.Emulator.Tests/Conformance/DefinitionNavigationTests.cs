using System.Net;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>
/// A table definition's Attributes and Keys addressed as paths, with typed casts, as
/// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api ("Retrieve attributes", "Retrieve
/// attributes with a specific type") shows them: a cast keeps the attributes of that type, OptionSet comes only when expanded.
/// </summary>
public sealed class DefinitionNavigationTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private const string Contact = "EntityDefinitions(LogicalName='contact')";

    [Fact]
    public async Task A_cast_to_PicklistAttributeMetadata_gives_the_choice_attributes_and_their_options_when_OptionSet_is_expanded()
    {
        var response = await emulator.Client.GetAsync(
            $"{Contact}/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)");
        var body = await response.JsonAsync();
        var unexpanded = await (await emulator.Client.GetAsync($"{Contact}/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName"))
            .JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("$metadata#EntityDefinitions('contact')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata", (string)body["@odata.context"]!);
        var gender = body["value"]!.AsArray().Single(a => (string)a!["LogicalName"]! == "gendercode")!;
        Assert.All(body["value"]!.AsArray(), a => Assert.Equal("#Microsoft.Dynamics.CRM.PicklistAttributeMetadata", (string)a!["@odata.type"]!));
        Assert.Equal([1, 2], gender["OptionSet"]!["Options"]!.AsArray().Select(o => (int)o!["Value"]!));
        Assert.Equal(["MetadataId", "Options"], gender["OptionSet"]!.AsObject().Select(p => p.Key).Order());
        Assert.All(unexpanded["value"]!.AsArray(), a => Assert.Null(a!["OptionSet"]));
    }

    [Fact]
    public async Task A_cast_to_StringAttributeMetadata_keeps_only_text_attributes_with_their_MaxLength()
    {
        var body = await (await emulator.Client.GetAsync($"{Contact}/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,MaxLength"))
            .JsonAsync();
        var names = body["value"]!.AsArray().Select(a => (string)a!["LogicalName"]!).ToList();

        Assert.Contains("lastname", names);
        Assert.DoesNotContain("gendercode", names);
        Assert.DoesNotContain("birthdate", names);
        Assert.Equal(50, (int)body["value"]!.AsArray().Single(a => (string)a!["LogicalName"]! == "lastname")!["MaxLength"]!);
    }

    [Fact]
    public async Task One_attribute_by_logical_name_and_the_keys_are_paths_of_their_own()
    {
        var lastname = await emulator.Client.GetAsync($"{Contact}/Attributes(LogicalName='lastname')?$select=LogicalName,MaxLength");
        var typed = await emulator.Client.GetAsync($"{Contact}/Attributes(LogicalName='gendercode')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata" +
            "?$expand=OptionSet");
        var keys = await (await emulator.Client.GetAsync($"{Contact}/Keys?$select=LogicalName,KeyAttributes")).JsonAsync();
        var missing = await emulator.Client.GetAsync($"{Contact}/Attributes(LogicalName='nosuch')");
        var wrongType = await emulator.Client.GetAsync($"{Contact}/Attributes(LogicalName='lastname')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata");

        var lastnameBody = await lastname.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, lastname.StatusCode);
        Assert.EndsWith("/Attributes/$entity", (string)lastnameBody["@odata.context"]!);
        Assert.Equal(50, (int)lastnameBody["MaxLength"]!);
        Assert.Equal(2, (await typed.JsonAsync())["OptionSet"]!["Options"]!.AsArray().Count);
        Assert.Equal(["emailaddress1"], keys["value"]![0]!["KeyAttributes"]!.AsArray().Select(a => (string)a!));
        Assert.Equal((HttpStatusCode.NotFound, "0x80040217"), (missing.StatusCode, await missing.ErrorCodeAsync()));
        Assert.Equal(HttpStatusCode.NotFound, wrongType.StatusCode);
    }

    [Fact]
    public async Task What_the_emulator_does_not_serve_on_these_paths_is_refused_not_ignored()
    {
        var unknownCast = await emulator.Client.GetAsync($"{Contact}/Attributes/Microsoft.Dynamics.CRM.NoSuchAttributeMetadata");
        var optionSetWithoutCast = await emulator.Client.GetAsync($"{Contact}/Attributes?$expand=OptionSet");
        var filter = await emulator.Client.GetAsync($"{Contact}/Attributes?$filter=AttributeType eq 'String'");
        var otherNavigation = await emulator.Client.GetAsync($"{Contact}/OneToManyRelationships");

        Assert.Equal(
            (HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest),
            (unknownCast.StatusCode, optionSetWithoutCast.StatusCode, filter.StatusCode, otherNavigation.StatusCode));
        Assert.Contains("cast to a choice type", (string)(await optionSetWithoutCast.JsonAsync())["error"]!["message"]!);
    }
}
