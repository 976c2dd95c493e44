using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>
/// Change tracking as https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
/// shows it: <c>Prefer: odata.track-changes</c> gives every record and an <c>@odata.deltaLink</c>
/// (<c>$deltatoken=919042!08/22/2017 08:10:44</c>); the link gives created and updated records, then
/// <c>$deletedEntity</c> entries, and a new link; <c>$filter</c>, <c>$orderby</c>, <c>$expand</c>, <c>$top</c> are refused.
/// Each test has its own emulator: change tracking sees every change to a table.
/// </summary>
public sealed class ChangeTrackingTests
{
    private const string Tracked = "odata.track-changes";

    private static async Task<(EmulatorServer Server, EmulatorClient Client)> StartAsync(params (string, string)[] settings)
    {
        var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(settings));
        return (server, await EmulatorClient.ConnectAsync(server));
    }

    private static async Task<string> CreateAsync(EmulatorClient client, string number)
    {
        var response = await client.PostAsync("accounts", $$"""{ "name": "Account {{number}}", "accountnumber": "{{number}}" }""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return Regex.Match(response.Headers.GetValues("OData-EntityId").Single(), @"\(([0-9a-f-]{36})\)").Groups[1].Value;
    }

    /// <summary>Follows <c>@odata.nextLink</c> to the last page; returns every value and the last page (with the delta link).</summary>
    private static async Task<(List<JsonObject> Values, JsonObject Last, List<HttpResponseMessage> Pages)> ReadAllAsync(EmulatorClient client,
        string first, int pageSize)
    {
        var values = new List<JsonObject>();
        var pages = new List<HttpResponseMessage>();
        string? next = first;
        JsonObject page = null!;
        while (next is not null)
        {
            var response = await client.GetAsync(next, ("Prefer", $"{Tracked},odata.maxpagesize={pageSize}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages.Add(response);
            page = await response.JsonAsync();
            values.AddRange(page["value"]!.AsArray().Select(v => v!.AsObject()));
            next = (string?)page["@odata.nextLink"];
            Assert.True(next is null || page["@odata.deltaLink"] is null, "a page has a next link or the delta link, not both");
        }

        return (values, page, pages);
    }

    [Fact]
    public async Task The_first_read_returns_every_record_page_by_page_and_a_delta_link_on_the_last_page()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        var ids = new List<string>();
        for (int i = 1; i <= 7; i++)
        {
            ids.Add(await CreateAsync(client, $"CT-{i}"));
        }

        var (values, last, pages) = await ReadAllAsync(client, "accounts?$select=name,accountnumber", pageSize: 3);

        Assert.Equal(3, pages.Count);
        Assert.Equal(ids.Order(), values.Select(v => (string)v["accountid"]!).Order());
        Assert.Equal("Account CT-7", (string)values.Single(v => (string)v["accountnumber"]! == "CT-7")["name"]!);
        Assert.All(pages, p => Assert.Contains(Tracked, p.Headers.GetValues("Preference-Applied").Single()));
        Assert.EndsWith("$metadata#accounts(name,accountnumber)", (string)last["@odata.context"]!);
        string link = (string)last["@odata.deltaLink"]!;
        Assert.StartsWith($"{client.ServiceRoot}accounts?$select=name%2Caccountnumber&$deltatoken=", link);
        Assert.Matches(@"^\d+!\d\d/\d\d/\d{4} \d\d:\d\d:\d\d$", Uri.UnescapeDataString(link[(link.IndexOf("$deltatoken=", StringComparison.Ordinal) + 12)..]));
    }

    [Fact]
    public async Task The_delta_link_returns_created_and_updated_records_then_deleted_ones_and_a_new_link()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        string kept = await CreateAsync(client, "D-1");
        string changed = await CreateAsync(client, "D-2");
        string removed = await CreateAsync(client, "D-3");
        var snapshot = await ReadAllAsync(client, "accounts?$select=name", pageSize: 100);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PatchAsync($"accounts({changed})", """{ "name": "Renamed" }""")).StatusCode);
        string created = await CreateAsync(client, "D-4");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"accounts({removed})")).StatusCode);
        var delta = await (await client.GetAsync((string)snapshot.Last["@odata.deltaLink"]!)).JsonAsync();
        var quiet = await (await client.GetAsync((string)delta["@odata.deltaLink"]!)).JsonAsync();

        Assert.EndsWith("$metadata#accounts(name)/$delta", (string)delta["@odata.context"]!);
        var values = delta["value"]!.AsArray().Select(v => v!.AsObject()).ToList();
        Assert.Equal([changed, created], values.Take(2).Select(v => (string)v["accountid"]!));
        Assert.Equal("Renamed", (string)values[0]["name"]!);
        var deleted = values[2];
        Assert.Equal(($"{client.ServiceRoot}$metadata#accounts/$deletedEntity", removed, "deleted"),
            ((string)deleted["@odata.context"]!, (string)deleted["id"]!, (string)deleted["reason"]!));
        Assert.Equal(3, values.Count);
        Assert.DoesNotContain(values, v => (string?)v["accountid"] == kept);
        // Nothing changed since: an empty delta, and a link to go on with.
        Assert.Empty(quiet["value"]!.AsArray());
        Assert.NotNull(quiet["@odata.deltaLink"]);
    }

    [Fact]
    public async Task Changes_while_a_client_pages_are_neither_skipped_nor_repeated_and_come_with_the_next_delta()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        var ids = new List<string>();
        for (int i = 1; i <= 9; i++)
        {
            ids.Add(await CreateAsync(client, $"P-{i}"));
        }

        var first = await (await client.GetAsync("accounts?$select=accountnumber", ("Prefer", $"{Tracked},odata.maxpagesize=3"))).JsonAsync();
        var seen = first["value"]!.AsArray().Select(v => (string)v!["accountid"]!).ToList();
        // Delete a record the first page returned (the pages after it must not shift) and update one it did not.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"accounts({seen[0]})")).StatusCode);
        string unread = ids.Except(seen).First();
        Assert.Equal(HttpStatusCode.NoContent, (await client.PatchAsync($"accounts({unread})", """{ "name": "Changed while paging" }""")).StatusCode);
        var rest = await ReadAllAsync(client, (string)first["@odata.nextLink"]!, pageSize: 3);
        var delta = await (await client.GetAsync((string)rest.Last["@odata.deltaLink"]!)).JsonAsync();

        var snapshot = seen.Concat(rest.Values.Select(v => (string)v["accountid"]!)).ToList();
        Assert.Equal(snapshot.Distinct().Count(), snapshot.Count);
        // The updated record moved past the read's version: not in the snapshot, but in the delta; nothing else is missing.
        Assert.Equal(ids.Except([unread]).Order(), snapshot.Order());
        var changes = delta["value"]!.AsArray().Select(v => v!.AsObject()).ToList();
        Assert.Equal(unread, (string)changes[0]["accountid"]!);
        Assert.Equal(seen[0], (string)changes[1]["id"]!);
        Assert.Equal(2, changes.Count);
    }

    [Fact]
    public async Task A_delta_pages_through_its_changes_and_deletions()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        var ids = new List<string>();
        for (int i = 1; i <= 7; i++)
        {
            ids.Add(await CreateAsync(client, $"M-{i}"));
        }

        var snapshot = await ReadAllAsync(client, "accounts", pageSize: 50);
        foreach (string id in ids.Take(2))
        {
            await client.PatchAsync($"accounts({id})", """{ "name": "Updated" }""");
        }

        foreach (string id in ids.Skip(2))
        {
            await client.DeleteAsync($"accounts({id})");
        }

        var delta = await ReadAllAsync(client, (string)snapshot.Last["@odata.deltaLink"]!, pageSize: 3);

        Assert.Equal(3, delta.Pages.Count);
        Assert.Equal(ids.Take(2), delta.Values.Take(2).Select(v => (string)v["accountid"]!));
        Assert.Equal(ids.Skip(2), delta.Values.Skip(2).Select(v => (string)v["id"]!));
        Assert.NotNull(delta.Last["@odata.deltaLink"]);
    }

    [Theory]
    [InlineData("$filter=name eq 'x'", "$filter")]
    [InlineData("$orderby=name", "$orderby")]
    [InlineData("$top=5", "$top")]
    [InlineData("$expand=primarycontactid", "$expand")]
    public async Task Query_options_change_tracking_does_not_support_are_refused_with_Microsofts_message(string query, string option)
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;

        var response = await client.GetAsync($"accounts?{query}", ("Prefer", Tracked));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"The \"{option}\" query parameter isn't supported when Change Tracking is enabled.",
            (string)(await response.JsonAsync())["error"]!["message"]!);
    }

    [Fact]
    public async Task A_token_that_is_not_one_or_has_expired_is_refused_so_the_client_reads_again_in_full()
    {
        var (server, client) = await StartAsync(("Emulator:ChangeTracking:RetentionSeconds", "1"));
        await using var _ = server;
        using var __ = client;
        await CreateAsync(client, "E-1");
        var snapshot = await ReadAllAsync(client, "accounts", pageSize: 10);

        var garbled = await client.GetAsync("accounts?$deltatoken=not-a-token");
        var noPage = await client.GetAsync((string)snapshot.Last["@odata.deltaLink"]! + "&$skiptoken=");
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        var expired = await client.GetAsync((string)snapshot.Last["@odata.deltaLink"]!);

        Assert.Equal(HttpStatusCode.BadRequest, garbled.StatusCode);
        Assert.Contains("is not a change tracking token", (string)(await garbled.JsonAsync())["error"]!["message"]!);
        Assert.Equal(HttpStatusCode.BadRequest, noPage.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Contains("read the table again in full", (string)(await expired.JsonAsync())["error"]!["message"]!);
    }

    [Fact]
    public async Task Only_tables_with_change_tracking_enabled_track_and_their_definition_says_so()
    {
        string schema = Path.Combine(Path.GetTempPath(), $"empower-ct-schema-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(schema, """
            { "tables": [
              { "logicalName": "empower_tracked", "entitySetName": "empower_trackeds", "primaryIdAttribute": "empower_trackedid", "primaryNameAttribute": "empower_name",
                "changeTracking": true, "attributes": [ { "logicalName": "empower_name", "type": "String", "maxLength": 100 } ] },
              { "logicalName": "empower_plain", "entitySetName": "empower_plains", "primaryIdAttribute": "empower_plainid", "primaryNameAttribute": "empower_name",
                "attributes": [ { "logicalName": "empower_name", "type": "String", "maxLength": 100 } ] } ] }
            """);
        try
        {
            var (server, client) = await StartAsync(("Emulator:Schema", schema));
            await using var _ = server;
            using var __ = client;

            var plain = await client.GetAsync("empower_plains", ("Prefer", Tracked));
            var tracked = await client.GetAsync("empower_trackeds", ("Prefer", Tracked));
            var definitions = await (await client.GetAsync("EntityDefinitions?$select=LogicalName,ChangeTrackingEnabled")).JsonAsync();

            Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
            Assert.Contains("Change tracking is not enabled for the table 'empower_plain'", (string)(await plain.JsonAsync())["error"]!["message"]!);
            Assert.Equal(HttpStatusCode.OK, tracked.StatusCode);
            var flags = definitions["value"]!.AsArray().ToDictionary(d => (string)d!["LogicalName"]!, d => (bool)d!["ChangeTrackingEnabled"]!);
            Assert.Equal(new Dictionary<string, bool> { ["empower_tracked"] = true, ["empower_plain"] = false }, flags);
        }
        finally
        {
            File.Delete(schema);
        }
    }
}
