using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Dataverse.Principals;
using Empower.Sync.Dataverse.Sending;
using Empower.Sync.Dataverse.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Empower.Sync.Dataverse;

/// <summary>One Dataverse environment: its principal pool, metadata cache and writer.</summary>
public sealed class DataverseClient : IDisposable
{
    private DataverseClient(PrincipalPool pool, DataverseSender sender, MetadataClient metadata, DataverseWriter writer)
    {
        Pool = pool;
        Sender = sender;
        Metadata = metadata;
        Writer = writer;
    }

    public PrincipalPool Pool { get; }

    public DataverseSender Sender { get; }

    public MetadataClient Metadata { get; }

    public DataverseWriter Writer { get; }

    /// <exception cref="ArgumentException">The settings are not valid; the message lists every problem by key.</exception>
    public static DataverseClient Create(DataverseOptions options, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        time ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        var pool = PrincipalPoolFactory.Create(options, time, loggers.CreateLogger<PrincipalPool>());
        var sender = new DataverseSender(pool, options, time, loggers.CreateLogger<DataverseSender>());
        return new DataverseClient(pool, sender, new MetadataClient(sender), new DataverseWriter(sender, options, loggers.CreateLogger<DataverseWriter>()));
    }

    public void Dispose() => Pool.Dispose();
}
