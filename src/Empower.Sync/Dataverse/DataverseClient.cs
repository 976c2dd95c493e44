using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Dataverse.Principals;
using Empower.Sync.Dataverse.Reading;
using Empower.Sync.Dataverse.Sending;
using Empower.Sync.Dataverse.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Empower.Sync.Dataverse;

/// <summary>One Dataverse environment: its principal pool, metadata cache, writer, remover and reader.</summary>
public sealed class DataverseClient : IDisposable
{
    private readonly DataverseOptions _options;

    private DataverseClient(DataverseOptions options, PrincipalPool pool, DataverseSender sender, MetadataClient metadata,
        DataverseWriter writer, RecordRemover remover)
    {
        _options = options;
        var serviceRoot = options.ServiceRoot;
        ServiceRoot = serviceRoot;
        Pool = pool;
        Sender = sender;
        Metadata = metadata;
        Writer = writer;
        Remover = remover;
        Reader = new RecordReader(sender);
    }

    /// <summary>The Web API root of the environment, e.g. <c>https://contoso.crm.dynamics.com/api/data/v9.2/</c>.</summary>
    public Uri ServiceRoot { get; }

    public PrincipalPool Pool { get; }

    /// <summary>How the org compares key text (<see cref="DataverseOptions.KeyCollation"/>).</summary>
    public KeyCollation KeyCollation => _options.KeyCollation;

    internal DataverseSender Sender { get; }

    public MetadataClient Metadata { get; }

    internal DataverseWriter Writer { get; }

    internal RecordRemover Remover { get; }

    internal RecordReader Reader { get; }

    /// <exception cref="ArgumentException">The settings are not valid; the message lists every problem by key.</exception>
    public static DataverseClient Create(DataverseOptions options, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        time ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        var pool = PrincipalPoolFactory.Create(options, time, loggers.CreateLogger<PrincipalPool>());
        var sender = new DataverseSender(pool, options, time, loggers.CreateLogger<DataverseSender>());
        return new DataverseClient(
            options,
            pool, sender, new MetadataClient(sender), new DataverseWriter(sender, options, loggers.CreateLogger<DataverseWriter>()),
                new RecordRemover(sender, options));
    }

    /// <summary>
    /// Gets a token for every principal at once; each one that cannot is taken out of the pool, and returned with the
    /// reason (see <see cref="Auth.TokenErrors"/>). The others are ready to write.
    /// </summary>
    /// <exception cref="NoUsablePrincipalException">No principal can get a token; the message gives every reason once.</exception>
    public async Task<IReadOnlyList<(string Principal, string Reason)>> CheckPrincipalsAsync(CancellationToken cancellationToken = default)
    {
        var checks = await Task.WhenAll(Pool.Principals.Select(async principal =>
        {
            try
            {
                await principal.Tokens.GetAsync(cancellationToken);
                return ((string, string)?)null;
            }
            catch (Exception ex) when (ex is Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException)
            {
                string reason = await Auth.TokenErrors.ExplainAsync(ex, principal.ClientId, _options, cancellationToken);
                Pool.Fail(principal, reason);
                return (principal.ClientId, reason);
            }
        }));
        var failed = checks.OfType<(string Principal, string Reason)>().ToList();
        return failed.Count == Pool.Principals.Count
            ? throw new NoUsablePrincipalException("No principal can get a token: " + string.Join("; ", failed.Select(p => p.Reason).Distinct()))
            : failed;
    }

    public void Dispose() => Pool.Dispose();
}
