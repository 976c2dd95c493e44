using Empower.Sync.Hosting;
using Microsoft.Extensions.Configuration;

namespace Empower.Sync.Dataverse.Configuration;

/// <summary>A Dataverse environment and the principals Empower writes with (configuration section <c>Empower:Dataverse</c>).</summary>
public sealed class DataverseOptions : IValidatedOptions
{
    public const string SectionName = "Empower:Dataverse";

    /// <summary>The key collation set under <see cref="SectionName"/>, for commands that read the published state without Dataverse.</summary>
    public static KeyCollation KeyCollationIn(IConfiguration configuration) =>
        configuration.GetSection(SectionName).GetValue(nameof(KeyCollation), DataverseDefaults.KeyCollation);

    /// <summary>The environment URL, e.g. <c>https://contoso.crm.dynamics.com/</c> (text, so that a malformed one is reported as it was given).</summary>
    public string? Url { get; set; }

    /// <summary>The environment URL, once validated.</summary>
    public Uri Environment => new(Url!, UriKind.Absolute);

    /// <summary>The Web API root below <see cref="Url"/> that every request path is relative to.</summary>
    public Uri ServiceRoot => new(Environment, "api/data/v9.2/");

    /// <summary>Default tenant for principals that do not name one.</summary>
    public string? TenantId { get; set; }

    public List<PrincipalOptions> Principals { get; set; } = [];

    public int BatchSize { get; set; } = DataverseDefaults.BatchSize;

    /// <summary>How the org compares key text (its base language's collation): rows whose keys it finds equal are one record.</summary>
    public KeyCollation KeyCollation { get; set; } = DataverseDefaults.KeyCollation;

    public int ElasticBatchSize { get; set; } = DataverseDefaults.ElasticBatchSize;

    public int MinBatchSize { get; set; } = DataverseDefaults.MinBatchSize;

    public int InitialConcurrency { get; set; } = DataverseDefaults.InitialConcurrency;

    /// <summary>
    /// Send CreateMultiple / UpsertMultiple (default). When false — or when the server refuses the bulk action for a
    /// table — rows go in <c>$batch</c> requests with <c>odata.continue-on-error</c> instead.
    /// </summary>
    public bool UseBulkActions { get; set; } = true;

    public int MaxConcurrencyPerPrincipal { get; set; } = DataverseDefaults.MaxConcurrencyPerPrincipal;

    public int MaxAttempts { get; set; } = DataverseDefaults.MaxAttempts;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(DataverseDefaults.RequestTimeoutSeconds);

    public TimeSpan MaxThrottleWait { get; set; } = TimeSpan.FromSeconds(DataverseDefaults.MaxThrottleWaitSeconds);

    public TimeSpan SlowRequest { get; set; } = TimeSpan.FromSeconds(DataverseDefaults.SlowRequestSeconds);

    public TimeSpan ConnectionLifetime { get; set; } = TimeSpan.FromMinutes(DataverseDefaults.ConnectionLifetimeMinutes);

    /// <summary>
    /// Development only: the Microsoft Entra authority to ask for tokens instead of the public cloud's, e.g. the
    /// emulator's HTTPS address. Instance discovery is then off.
    /// </summary>
    public Uri? AuthorityHost { get; set; }

    /// <summary>
    /// Development only: the SHA-256 thumbprint of the one certificate the token endpoint may present (the emulator's
    /// self-signed certificate). When set, token requests trust that certificate and nothing else; never set in production.
    /// </summary>
    public string? DevelopmentCertificateThumbprint { get; set; }

    /// <summary>Every configuration problem at once, each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Url))
        {
            problems.Add($"{SectionName}:Url is required: the environment URL, e.g. https://contoso.crm.dynamics.com/.");
        }
        else if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            problems.Add($"{SectionName}:Url '{Url}' is not a valid environment URL: give the whole URL with its scheme, e.g. " +
                $"https://contoso.crm.dynamics.com/.");
        }

        if (Principals.Count == 0)
        {
            problems.Add($"{SectionName}:Principals needs at least one application user (ClientId and its credential).");
        }

        for (int i = 0; i < Principals.Count; i++)
        {
            var p = Principals[i];
            string key = $"{SectionName}:Principals:{i}";
            bool needsClientId = p.Credential != PrincipalCredentialKind.ManagedIdentity;
            if (needsClientId && string.IsNullOrWhiteSpace(p.ClientId))
            {
                problems.Add($"{key}:ClientId is required for {p.Credential} credentials.");
            }

            if (p.Credential is PrincipalCredentialKind.ClientSecret or PrincipalCredentialKind.Certificate or PrincipalCredentialKind.WorkloadIdentity
                && string.IsNullOrWhiteSpace(p.TenantId ?? TenantId))
            {
                problems.Add($"{key}:TenantId (or {SectionName}:TenantId) is required for {p.Credential} credentials.");
            }

            if (p.Credential == PrincipalCredentialKind.ClientSecret && string.IsNullOrWhiteSpace(p.ClientSecret))
            {
                problems.Add($"{key}:ClientSecret is required for ClientSecret credentials.");
            }

            if (p.Credential == PrincipalCredentialKind.Certificate && string.IsNullOrWhiteSpace(p.CertificatePath))
            {
                problems.Add($"{key}:CertificatePath is required for Certificate credentials.");
            }
        }

        var duplicates = Principals.Where(p => p.ClientId is not null).GroupBy(p => p.ClientId, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1);
        problems.AddRange(duplicates.Select(d => $"{SectionName}:Principals lists the client id '{d.Key}' more than once; limits apply per user, so a " +
            $"repeat adds no capacity."));
        Check(BatchSize is >= 1 and <= DataverseDefaults.MaxBatchSize,
            $"{SectionName}:BatchSize must be between 1 and {DataverseDefaults.MaxBatchSize} (got {BatchSize}).");
        Check(ElasticBatchSize is >= 1 and <= DataverseDefaults.MaxBatchSize,
            $"{SectionName}:ElasticBatchSize must be between 1 and {DataverseDefaults.MaxBatchSize} (got {ElasticBatchSize}).");
        Check(MinBatchSize >= 1 && MinBatchSize <= BatchSize, $"{SectionName}:MinBatchSize must be between 1 and BatchSize (got {MinBatchSize}).");
        Check(MaxConcurrencyPerPrincipal is >= 1 and <= 52,
            $"{SectionName}:MaxConcurrencyPerPrincipal must be between 1 and 52, the service protection limit (got {MaxConcurrencyPerPrincipal}).");
        Check(InitialConcurrency >= 1 && InitialConcurrency <= MaxConcurrencyPerPrincipal,
            $"{SectionName}:InitialConcurrency must be between 1 and MaxConcurrencyPerPrincipal (got {InitialConcurrency}).");
        Check(MaxAttempts is >= 1 and <= 100, $"{SectionName}:MaxAttempts must be between 1 and 100 (got {MaxAttempts}).");
        Check(RequestTimeout > TimeSpan.Zero, $"{SectionName}:RequestTimeout must be positive.");
        Check(MaxThrottleWait >= TimeSpan.Zero, $"{SectionName}:MaxThrottleWait must not be negative.");
        Check(DevelopmentCertificateThumbprint is null || AuthorityHost is not null,
            $"{SectionName}:DevelopmentCertificateThumbprint only applies with {SectionName}:AuthorityHost (a development token endpoint).");
        return problems;

        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }
    }
}
