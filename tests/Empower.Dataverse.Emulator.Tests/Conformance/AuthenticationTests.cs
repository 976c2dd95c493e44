using System.Net;
using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>
/// Client-credentials tokens and bearer validation. Shapes follow
/// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow (token response and AADSTS errors)
/// and https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors (401).
/// </summary>
public sealed class AuthenticationTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Token_endpoint_issues_a_bearer_token_for_a_registered_principal()
    {
        using var http = new HttpClient { BaseAddress = emulator.Server.BaseAddress };
        var response = await EmulatorClient.RequestTokenAsync(http, "empower-app-2", "emulator-secret");
        var body = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", (string)body["token_type"]!);
        Assert.True((int)body["expires_in"]! > 3000);
        Assert.False(string.IsNullOrEmpty((string)body["access_token"]!));
    }

    [Theory]
    [InlineData("empower-app-1", "wrong", "client_credentials", "https://org/.default", "emulator", 401, "invalid_client", "AADSTS7000215")]
    [InlineData("nobody", "emulator-secret", "client_credentials", "https://org/.default", "emulator", 401, "invalid_client", "AADSTS700016")]
    [InlineData("empower-app-1", "emulator-secret", "password", "https://org/.default", "emulator", 400, "unsupported_grant_type", "AADSTS70003")]
    [InlineData("empower-app-1", "emulator-secret", "client_credentials", "https://org/user_impersonation", "emulator", 400, "invalid_scope", "AADSTS1002012")]
    [InlineData("empower-app-1", "emulator-secret", "client_credentials", "https://org/.default", "other-tenant", 400, "invalid_request", "AADSTS90002")]
    public async Task Token_endpoint_refuses_bad_requests_with_Entra_errors(string client, string secret, string grant, string scope, string tenant,
        int status, string error, string aadsts)
    {
        using var http = new HttpClient { BaseAddress = emulator.Server.BaseAddress };
        var response = await EmulatorClient.RequestTokenAsync(http, client, secret, grant, scope, tenant);
        var body = await response.JsonAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(error, (string)body["error"]!);
        Assert.StartsWith(aadsts, (string)body["error_description"]!);
        Assert.DoesNotContain(secret == "wrong" ? "wrong" : "\u0000", (string)body["error_description"]!);
    }

    [Fact]
    public async Task Web_API_refuses_missing_and_unknown_tokens_with_401()
    {
        using var http = new HttpClient { BaseAddress = emulator.Server.BaseAddress };
        var missing = await http.GetAsync("api/data/v9.2/WhoAmI");
        http.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        var unknown = await http.GetAsync("api/data/v9.2/accounts");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("0x80072560", await unknown.ErrorCodeAsync());
        Assert.StartsWith("Bearer authorization_uri=", missing.Header("WWW-Authenticate"));
    }

    [Fact]
    public async Task WhoAmI_returns_the_principal_user_id()
    {
        var first = await (await emulator.Client.GetAsync("WhoAmI")).JsonAsync();
        using var other = await EmulatorClient.ConnectAsync(emulator.Server, "empower-app-3");
        var third = await (await other.GetAsync("WhoAmI()")).JsonAsync();

        Assert.EndsWith("$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse", (string)first["@odata.context"]!);
        Assert.True(Guid.TryParse((string)first["UserId"]!, out _));
        Assert.True(Guid.TryParse((string)first["BusinessUnitId"]!, out _));
        Assert.NotEqual((string)first["UserId"]!, (string)third["UserId"]!);
    }

    [Fact]
    public async Task Azure_Identity_gets_a_token_over_HTTPS_when_the_development_certificate_is_pinned()
    {
        var credential = Credential(emulator.Server.CertificateThumbprint!);
        var token = await credential.GetTokenAsync(new TokenRequestContext([$"{emulator.Server.BaseAddress}.default"]), default);

        using var http = new HttpClient { BaseAddress = emulator.Server.ServiceRoot };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token.Token);
        var whoAmI = await http.GetAsync("WhoAmI");

        Assert.Equal(HttpStatusCode.OK, whoAmI.StatusCode);
        Assert.True(token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(30));
    }

    [Fact]
    public async Task Azure_Identity_refuses_the_emulator_when_another_certificate_is_pinned()
    {
        var credential = Credential(new string('A', 64));

        await Assert.ThrowsAsync<AuthenticationFailedException>(async () =>
            await credential.GetTokenAsync(new TokenRequestContext(["https://org/.default"]), default));
    }

    private ClientSecretCredential Credential(string pinnedThumbprint)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), pinnedThumbprint,
                    StringComparison.OrdinalIgnoreCase),
        };
        return new ClientSecretCredential("emulator", "empower-app-1", "emulator-secret", new ClientSecretCredentialOptions
        {
            AuthorityHost = emulator.Server.HttpsAddress,
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(handler),
            Retry = { MaxRetries = 0 },
        });
    }
}
