using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Dataverse.Configuration;

namespace Empower.Testing.Dataverse;

/// <summary>Client settings that point at an emulator: its URL, its principals, and its HTTPS token endpoint pinned by thumbprint.</summary>
public static class EmulatorDataverse
{
    public const string Secret = "emulator-secret";

    /// <summary>The same settings as configuration keys (<c>Empower:Dataverse:*</c>), for hosts that bind configuration.</summary>
    public static Dictionary<string, string?> Settings(EmulatorServer server, int principals = 2) => server.ClientSettings(principals);

    public static DataverseOptions Options(EmulatorServer server, int principals = 4, Action<DataverseOptions>? configure = null)
    {
        var options = new DataverseOptions
        {
            Url = server.BaseAddress.AbsoluteUri,
            TenantId = "emulator",
            AuthorityHost = server.HttpsAddress,
            DevelopmentCertificateThumbprint = server.CertificateThumbprint,
            Principals = Enumerable.Range(1, principals)
                .Select(i => new PrincipalOptions { ClientId = $"empower-app-{i}", ClientSecret = Secret })
                .ToList(),
        };
        configure?.Invoke(options);
        return options;
    }
}
