using Empower.Sync.Dataverse.Configuration;
using Microsoft.Extensions.Configuration;

namespace Empower.Sync.Tests.Dataverse.Configuration;

public sealed class DataverseOptionsTests
{
    [Fact]
    public void Settings_problems_are_all_reported_by_key()
    {
        var options = new DataverseOptions
        {
            Principals = [new PrincipalOptions { ClientId = "a" }, new PrincipalOptions { Credential = PrincipalCredentialKind.Certificate,
                ClientId = "a", TenantId = "t" }],
            BatchSize = 5000,
            DevelopmentCertificateThumbprint = "AB",
        };

        var problems = options.Validate();

        Assert.Contains(problems, p => p.StartsWith("Empower:Dataverse:Url is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Empower:Dataverse:Principals:0:TenantId", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Empower:Dataverse:Principals:0:ClientSecret is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Empower:Dataverse:Principals:1:CertificatePath is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'a' more than once", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Empower:Dataverse:BatchSize", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Empower:Dataverse:DevelopmentCertificateThumbprint only applies", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, KeyCollation.AccentInsensitive)]
    [InlineData("AccentSensitive", KeyCollation.AccentSensitive)]
    [InlineData("accentinsensitive", KeyCollation.AccentInsensitive)]
    public void The_key_collation_is_read_from_its_setting_and_defaults_to_an_English_org(string? value, KeyCollation expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Empower:Dataverse:KeyCollation"] = value,
        }).Build();

        Assert.Equal(expected, DataverseOptions.KeyCollationIn(configuration));
    }
}
