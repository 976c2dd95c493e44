using System.Net;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>
/// Keys, lookups by key and <c>$filter</c> compare text as the org's collation does: always ignoring case, and ignoring accents on an
/// English (1033) org, whose collation is <c>_CI_AI</c> (https://learn.microsoft.com/power-platform/admin/language-collations).
/// </summary>
public sealed class CollationTests
{
    [Fact]
    public async Task By_default_keys_and_filters_ignore_case_and_accents_as_an_English_org_does()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        using var client = await EmulatorClient.ConnectAsync(server);
        await client.PostAsync("accounts", """{"name":"Résumé Ltd","accountnumber":"café-1"}""");

        var duplicate = await client.PostAsync("accounts", """{"name":"Other","accountnumber":"CAFE-1"}""");
        var byKey = await client.GetAsync("accounts(accountnumber='cafe-1')?$select=accountnumber");
        var filtered = await (await client.GetAsync("accounts?$select=name&$filter=accountnumber eq 'CAFÉ-1' and contains(name,'resume')")).JsonAsync();
        var bound = await client.PostAsync("contacts", """
            {"lastname":"Bound","emailaddress1":"bound@example.com","parentcustomerid_account@odata.bind":"/accounts(accountnumber='CAFE-1')"}
            """);

        Assert.Equal((HttpStatusCode.PreconditionFailed, "0x80040237"), (duplicate.StatusCode, await duplicate.ErrorCodeAsync()));
        Assert.Equal("café-1", (string?)(await byKey.JsonAsync())["accountnumber"]);
        Assert.Single(filtered["value"]!.AsArray());
        Assert.Equal(HttpStatusCode.NoContent, bound.StatusCode);
    }

    [Fact]
    public async Task An_accent_sensitive_org_keeps_accented_keys_apart_and_still_ignores_case_beyond_ASCII()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Collation", "AccentSensitive")));
        using var client = await EmulatorClient.ConnectAsync(server);

        var first = await client.PostAsync("accounts", """{"name":"One","accountnumber":"café-1"}""");
        var unaccented = await client.PostAsync("accounts", """{"name":"Two","accountnumber":"cafe-1"}""");
        var upper = await client.PostAsync("accounts", """{"name":"Three","accountnumber":"CAFÉ-1"}""");
        var unmatched = await (await client.GetAsync("accounts?$select=name&$filter=contains(accountnumber,'É')")).JsonAsync();

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (first.StatusCode, unaccented.StatusCode));
        Assert.Equal(HttpStatusCode.PreconditionFailed, upper.StatusCode);
        Assert.Equal(["One"], unmatched["value"]!.AsArray().Select(r => (string)r!["name"]!));
    }
}
