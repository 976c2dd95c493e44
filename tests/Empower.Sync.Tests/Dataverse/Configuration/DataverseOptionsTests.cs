using Empower.Sync.Dataverse.Configuration;

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
}
