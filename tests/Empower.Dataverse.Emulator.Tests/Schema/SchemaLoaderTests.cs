using System.Net;
using System.Text;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Dataverse.Emulator.Schema;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Schema;

public sealed class SchemaLoaderTests
{
    [Fact]
    public void Built_in_schema_has_account_contact_and_a_composite_key_table()
    {
        var schema = SchemaLoader.LoadDefault();

        Assert.Equal(["accountnumber"], schema.FindByLogicalName("account")!.Keys.Single().Attributes);
        Assert.Equal("account", schema.FindByLogicalName("contact")!.FindLookupByNavigationProperty("parentcustomerid_account")!.Target);
        Assert.Equal(2, schema.FindByEntitySet("empower_salesorderlines")!.Keys.Single().Attributes.Count);
    }

    [Theory]
    [InlineData("""{"tables":[]}""", "defines no tables")]
    [InlineData("""{"tables":[{"logicalName":"t","entitySetName":"ts","primaryIdAttribute":"tid","primaryNameAttribute":"name","attributes":[{"logicalName":"name","type":"String"}]}]}""", "attribute 'name': String attributes need a positive maxLength")]
    [InlineData("""{"tables":[{"logicalName":"t","entitySetName":"ts","primaryIdAttribute":"tid","primaryNameAttribute":"name","attributes":[{"logicalName":"name","type":"String","maxLength":10},{"logicalName":"p","type":"Lookup","target":"nowhere"}]}]}""", "targets unknown table 'nowhere'")]
    [InlineData("""{"tables":[{"logicalName":"t","entitySetName":"ts","primaryIdAttribute":"tid","primaryNameAttribute":"name","attributes":[{"logicalName":"name","type":"String","maxLength":10}],"keys":[{"logicalName":"k","attributes":["missing"]}]}]}""", "key 'k': attribute 'missing' is not defined")]
    [InlineData("""{"tables":[{"logicalName":"bad name","entitySetName":"ts","primaryIdAttribute":"tid","primaryNameAttribute":"name"}]}""",
        "'bad name' is not a valid name")]
    [InlineData("""{"tables":[{"logicalName":"t","entitySetName":"ts","primaryIdAttribute":"tid","primaryNameAttribute":"name","attributes":[{"logicalName":"name","type":"Text"}]}]}""", "not valid JSON")]
    public void Bad_schema_files_fail_with_a_message_naming_file_table_and_attribute(string json, string expected)
    {
        var error = Assert.Throws<SchemaException>(() => SchemaLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "my-schema.json"));

        Assert.Contains("my-schema.json", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task A_custom_schema_file_is_served()
    {
        string path = Path.Combine(Path.GetTempPath(), $"empower-schema-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """
            {"tables":[{"logicalName":"new_widget","entitySetName":"new_widgets","primaryIdAttribute":"new_widgetid","primaryNameAttribute":"new_name",
              "attributes":[{"logicalName":"new_name","type":"String","maxLength":50},{"logicalName":"new_code","type":"String","maxLength":10}],
              "keys":[{"logicalName":"new_code_key","attributes":["new_code"]}]}]}
            """);
        try
        {
            await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Schema", path)));
            using var client = await EmulatorClient.ConnectAsync(server);

            var upsert = await client.PatchAsync("new_widgets(new_code='W1')", """{"new_name":"Widget"}""");
            var accounts = await client.GetAsync("accounts");

            Assert.Equal(HttpStatusCode.NoContent, upsert.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, accounts.StatusCode);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
