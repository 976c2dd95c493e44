using System.Net;
using System.Text.Json.Nodes;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>
/// Collection reads: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows,
/// .../query/order-rows, .../query/page-results (Prefer: odata.maxpagesize, @odata.nextLink) and .../query/count-rows.
/// </summary>
public sealed class QueryTests : IClassFixture<EmulatorFixture>, IAsyncLifetime
{
    private readonly EmulatorClient _client;

    public QueryTests(EmulatorFixture emulator) => _client = emulator.Client;

    public async Task InitializeAsync()
    {
        var existing = await (await _client.GetAsync("empower_salesorderlines?$filter=empower_ordernumber eq 'Q-1'&$count=true&$top=1")).JsonAsync();
        if ((int)existing["@odata.count"]! > 0)
        {
            return;
        }

        var targets = Enumerable.Range(1, 25).Select(i => new JsonObject
        {
            ["@odata.type"] = "Microsoft.Dynamics.CRM.empower_salesorderline",
            ["empower_name"] = $"Q-1/{i}",
            ["empower_ordernumber"] = "Q-1",
            ["empower_linenumber"] = i,
            ["empower_quantity"] = i * 1.5m,
            ["empower_shipped"] = i % 2 == 0,
            ["empower_status"] = i % 3 == 0 ? 100000001 : 100000000,
        });
        var body = new JsonObject { ["Targets"] = new JsonArray(targets.Select(t => (JsonNode)t).ToArray()) };
        var response = await _client.PostAsync("empower_salesorderlines/Microsoft.Dynamics.CRM.CreateMultiple", body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("empower_ordernumber eq 'Q-1' and empower_linenumber le 5", new[] { 1, 2, 3, 4, 5 })]
    [InlineData("empower_ordernumber eq 'Q-1' and (empower_linenumber eq 3 or empower_linenumber eq 20)", new[] { 3, 20 })]
    [InlineData("empower_ordernumber eq 'Q-1' and empower_quantity gt 33", new[] { 23, 24, 25 })]
    [InlineData("empower_ordernumber eq 'Q-1' and empower_shipped eq true and empower_linenumber lt 7", new[] { 2, 4, 6 })]
    [InlineData("empower_ordernumber eq 'Q-1' and empower_status eq 100000001 and empower_linenumber ne 3 and empower_linenumber lt 13", new[] { 6, 9, 12 })]
    [InlineData("Microsoft.Dynamics.CRM.In(PropertyName='empower_linenumber',PropertyValues=['7','11']) and empower_ordernumber eq 'Q-1'", new[] { 7, 11 })]
    [InlineData("empower_ordernumber eq 'Q-1' and not (empower_linenumber ge 2) ", new[] { 1 })]
    [InlineData("empower_ordernumber eq 'Q-1' and endswith(empower_name,'/17')", new[] { 17 })]
    [InlineData("empower_ordernumber eq 'Q-1' and empower_discount eq null and empower_linenumber eq 8", new[] { 8 })]
    [InlineData("empower_ordernumber eq 'Q-1' and empower_discount ne null", new int[0])]
    public async Task Filter_selects_exactly_the_matching_rows(string filter, int[] lines)
    {
        var page = await (await _client.GetAsync(
            $"empower_salesorderlines?$select=empower_linenumber&$filter={Uri.EscapeDataString(filter)}&$orderby=empower_linenumber")).JsonAsync();

        Assert.Equal(lines, page["value"]!.AsArray().Select(r => (int)r!["empower_linenumber"]!));
    }

    [Fact]
    public async Task Orderby_desc_and_top()
    {
        var page = await (await _client.GetAsync("empower_salesorderlines?$select=empower_linenumber&$filter=empower_ordernumber eq " +
            "'Q-1'&$orderby=empower_linenumber desc&$top=3")).JsonAsync();

        Assert.Equal([25, 24, 23], page["value"]!.AsArray().Select(r => (int)r!["empower_linenumber"]!));
        Assert.Null(page["@odata.nextLink"]);
    }

    [Fact]
    public async Task Paging_follows_nextLink_through_every_row_exactly_once()
    {
        var seen = new List<int>();
        string? next = "empower_salesorderlines?$select=empower_linenumber&$filter=empower_ordernumber eq 'Q-1'&$count=true";
        int pages = 0;
        while (next is not null)
        {
            var response = await _client.GetAsync(next, ("Prefer", "odata.maxpagesize=10"));
            var page = await response.JsonAsync();
            Assert.Equal("odata.maxpagesize=10", response.Header("Preference-Applied"));
            Assert.Equal(25, (int)page["@odata.count"]!);
            seen.AddRange(page["value"]!.AsArray().Select(r => (int)r!["empower_linenumber"]!));
            next = (string?)page["@odata.nextLink"];
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(1, 25), seen.Order());
    }
}
