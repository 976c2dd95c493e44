using Empower.Sync.Hosting;

namespace Empower.Sync.Lake.Storage;

/// <summary>Credentials for lake locations in Azure (configuration section <c>Empower:Lake</c>). Local folders need none.</summary>
public sealed class LakeConnectionOptions : IValidatedOptions
{
    public const string SectionName = "Empower:Lake";

    public LakeAuthentication Authentication { get; set; } = LakeAuthentication.Auto;

    public string? ConnectionString { get; set; }

    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The Microsoft Entra authority for sovereign clouds; empty = the public cloud.</summary>
    public Uri? AuthorityHost { get; set; }

    public LakeAuthentication EffectiveAuthentication => Authentication == LakeAuthentication.Auto
        ? string.IsNullOrWhiteSpace(ConnectionString) ? LakeAuthentication.DefaultAzureCredential : LakeAuthentication.ConnectionString
        : Authentication;

    /// <summary>Every missing setting for the chosen authentication, named by its configuration key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Require(string? value, string key)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{SectionName}:{key} is required when {SectionName}:Authentication is {EffectiveAuthentication}.");
            }
        }

        switch (EffectiveAuthentication)
        {
            case LakeAuthentication.ConnectionString:
                Require(ConnectionString, nameof(ConnectionString));
                break;
            case LakeAuthentication.ClientSecret:
                Require(TenantId, nameof(TenantId));
                Require(ClientId, nameof(ClientId));
                Require(ClientSecret, nameof(ClientSecret));
                break;
        }

        return problems;
    }
}
