using Azure.Core;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Dataverse;
using Empower.Sync.Dataverse.Auth;
using Empower.Sync.Dataverse.Configuration;
using Empower.Testing.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Empower.Sync.Tests.Dataverse.Configuration;

public sealed class ConfigurationTests
{
    [Fact]
    public async Task Settings_bind_from_configuration_and_the_client_talks_to_the_emulator()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        var settings = Testing.Dataverse.EmulatorDataverse.Settings(server, principals: 2);
        settings["Empower:Dataverse:BatchSize"] = "250";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection().AddEmpowerDataverse(configuration).BuildServiceProvider();

        var client = services.GetRequiredService<DataverseClient>();
        var account = await client.Metadata.GetAsync("account");

        Assert.Equal(250, services.GetRequiredService<IOptions<DataverseOptions>>().Value.BatchSize);
        Assert.Equal(2, client.Pool.Principals.Count);
        Assert.Equal("accounts", account.EntitySetName);
    }

    [Fact]
    public async Task A_token_endpoint_presenting_another_certificate_than_the_pinned_one_is_not_trusted_and_both_thumbprints_are_named()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        using var client = DataverseClient.Create(Testing.Dataverse.EmulatorDataverse.Options(server, principals: 1, o =>
            o.DevelopmentCertificateThumbprint = new string('A', 64)));

        var ex = await Assert.ThrowsAsync<Sync.Dataverse.Principals.NoUsablePrincipalException>(() => client.Metadata.GetAsync("account"));

        Assert.Equal(
            $"client id empower-app-1 cannot get a token: the token endpoint {server.HttpsAddress} presents the certificate {server.CertificateThumbprint} but "
            + $"Empower:Dataverse:DevelopmentCertificateThumbprint is {new string('A', 64)} — set it to the emulator's thumbprint " +
                $"(empower emulator prints it).",
            client.Pool.Principals[0].Failure);
        Assert.Contains(client.Pool.Principals[0].Failure!, ex.Message);
    }

    [Fact]
    public void Invalid_settings_fail_with_every_problem_named()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Empower:Dataverse:Principals:0:ClientId"] = "app",
            ["Empower:Dataverse:MaxConcurrencyPerPrincipal"] = "100",
        }).Build();
        using var services = new ServiceCollection().AddEmpowerDataverse(configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DataverseOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.StartsWith("Empower:Dataverse:Url", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Empower:Dataverse:Principals:0:ClientSecret", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Empower:Dataverse:MaxConcurrencyPerPrincipal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tokens_are_reused_and_renewed_five_minutes_before_they_expire()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var credential = new CountingCredential(time);
        var cache = new AccessTokenCache(credential, "https://org/.default", time);

        string first = await cache.GetAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(54));
        string stillFirst = await cache.GetAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));
        string second = await cache.GetAsync(CancellationToken.None);
        cache.Invalidate();
        string third = await cache.GetAsync(CancellationToken.None);

        Assert.Equal(["token-1", "token-1", "token-2", "token-3"], new[] { first, stillFirst, second, third });
        Assert.Equal("https://org/.default", credential.LastScope);
    }

    /// <summary>Hands out numbered tokens valid for one hour.</summary>
    private sealed class CountingCredential(TimeProvider time) : TokenCredential
    {
        private int _issued;

        public string? LastScope { get; private set; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            LastScope = requestContext.Scopes.Single();
            return ValueTask.FromResult(new AccessToken($"token-{++_issued}", time.GetUtcNow().AddHours(1)));
        }
    }
}
