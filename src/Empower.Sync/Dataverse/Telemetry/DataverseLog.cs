using Microsoft.Extensions.Logging;

namespace Empower.Sync.Dataverse.Telemetry;

/// <summary>The client's log events. Principals are named by client id; tokens and secrets are never logged.</summary>
internal static partial class DataverseLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Principal {ClientId} throttled ({Code}) for {RetryAfter}; its concurrency is now {Concurrency}.")]
    public static partial void Throttled(ILogger logger, string clientId, string code, TimeSpan retryAfter, int concurrency);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Principal {ClientId} is taken out of rotation: {Reason}")]
    public static partial void PrincipalFailed(ILogger logger, string clientId, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning,
        Message = "Transient error from {ClientId} on a batch of {Records} records (attempt {Attempt}): {Error}")]
    public static partial void Transient(ILogger logger, string clientId, int records, int attempt, string error);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information,
        Message = "A batch of {Records} records was rejected ({Error}); splitting it to find the bad rows.")]
    public static partial void Bisecting(ILogger logger, int records, string error);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "A batch of {Records} records is deferred until {RetryAt:O}: {Reason}")]
    public static partial void Deferred(ILogger logger, int records, DateTimeOffset retryAt, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning,
        Message = "Dataverse refused a bulk action on {Table} ({Error}); writing it with $batch requests instead.")]
    public static partial void BulkRefused(ILogger logger, string table, string error);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Batch size for {Table} is now {BatchSize} ({Reason}).")]
    public static partial void BatchSizeChanged(ILogger logger, string table, int batchSize, string reason);
}
