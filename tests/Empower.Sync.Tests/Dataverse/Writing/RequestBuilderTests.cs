using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Dataverse.Writing;

namespace Empower.Sync.Tests.Dataverse.Writing;

public sealed class RequestBuilderTests
{
    private static readonly EntityMetadata Contact = new("contact", "contacts", "contactid", "fullname", false,
        new Dictionary<string, AttributeMetadata>(), [], []);

    private static readonly Guid Id = new("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

    [Fact]
    public async Task An_upsert_by_key_sends_the_key_in_odata_id_and_every_other_column_in_the_body()
    {
        var record = new RecordToWrite(1, new JsonObject
        {
            ["emailaddress1"] = "a@example.com", ["firstname"] = "Zoë \"Z\"", ["age"] = 41, ["parentcustomerid_account@odata.bind"] = "/accounts(x)",
            ["description"] = null,
        });

        var body = await BodyAsync(RequestBuilder.Bulk(new WriteRequest(Contact, WriteMode.Upsert, ["emailaddress1"]), [record, record]));

        var expected = JsonNode.Parse("""
            { "firstname": "Zoë \"Z\"", "age": 41, "parentcustomerid_account@odata.bind": "/accounts(x)", "description": null,
              "@odata.type": "Microsoft.Dynamics.CRM.contact", "@odata.id": "contacts(emailaddress1='a@example.com')" }
            """);
        var targets = body["Targets"]!.AsArray();
        Assert.Equal(2, targets.Count);
        Assert.True(JsonNode.DeepEquals(expected, targets[0]), targets[0]!.ToJsonString());
        Assert.Equal(["firstname", "age", "parentcustomerid_account@odata.bind", "description", "@odata.type", "@odata.id"],
            targets[0]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task A_create_carries_the_record_id_in_place_of_a_mapped_primary_id_or_after_the_columns()
    {
        var mapped = new RecordToWrite(1, new JsonObject { ["contactid"] = "stale", ["lastname"] = "Ng" }, Id);
        var unmapped = new RecordToWrite(2, new JsonObject { ["lastname"] = "Ng" }, Id);
        var insert = new WriteRequest(Contact, WriteMode.Insert);

        var bulk = await BodyAsync(RequestBuilder.Bulk(insert, [mapped, unmapped]));
        var single = await BodyAsync(RequestBuilder.Single(insert, unmapped));

        Assert.Equal(["contactid", "lastname", "@odata.type"], bulk["Targets"]![0]!.AsObject().Select(p => p.Key));
        Assert.Equal(["lastname", "contactid", "@odata.type"], bulk["Targets"]![1]!.AsObject().Select(p => p.Key));
        Assert.All(bulk["Targets"]!.AsArray(), t => Assert.Equal(Id.ToString("D"), (string?)t!["contactid"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{ "lastname": "Ng", "contactid": "{{Id:D}}" }"""), single), single.ToJsonString());
    }

    [Fact]
    public async Task A_body_larger_than_the_kept_buffer_is_whole_and_the_next_body_is_not_mixed_with_it()
    {
        var wide = new RecordToWrite(1, new JsonObject { ["description"] = new string('x', 5 << 20) }, Id);
        var insert = new WriteRequest(Contact, WriteMode.Insert);

        var large = await BodyAsync(RequestBuilder.Single(insert, wide));
        var small = await BodyAsync(RequestBuilder.Single(insert, new RecordToWrite(2, new JsonObject { ["lastname"] = "Ng" }, Id)));

        Assert.Equal(5 << 20, ((string?)large["description"])!.Length);
        Assert.Equal(["lastname", "contactid"], small.AsObject().Select(p => p.Key));
    }

    private static async Task<JsonNode> BodyAsync(Func<HttpRequestMessage> build)
    {
        using var message = build();
        Assert.Equal("application/json; charset=utf-8", message.Content!.Headers.ContentType!.ToString());
        return JsonNode.Parse(await message.Content.ReadAsStringAsync())!;
    }
}
