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
    private DataverseClient(Uri serviceRoot, PrincipalPool pool, DataverseSender sender, MetadataClient metadata, DataverseWriter writer, RecordRemover remover)
    {
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

    public DataverseSender Sender { get; }

    public MetadataClient Metadata { get; }

    public DataverseWriter Writer { get; }

    public RecordRemover Remover { get; }

    public RecordReader Reader { get; }

    /// <exception cref="ArgumentException">The settings are not valid; the message lists every problem by key.</exception>
    public static DataverseClient Create(DataverseOptions options, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        time ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        var pool = PrincipalPoolFactory.Create(options, time, loggers.CreateLogger<PrincipalPool>());
        var sender = new DataverseSender(pool, options, time, loggers.CreateLogger<DataverseSender>());
        return new DataverseClient(
            options.ServiceRoot,
            pool, sender, new MetadataClient(sender), new DataverseWriter(sender, options, loggers.CreateLogger<DataverseWriter>()), new RecordRemover(sender, options));
    }

    public void Dispose() => Pool.Dispose();
}
