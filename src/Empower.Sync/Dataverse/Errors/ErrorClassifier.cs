namespace Empower.Sync.Dataverse.Errors;

/// <summary>Sorts Dataverse errors into what the client does about them.</summary>
internal static class ErrorClassifier
{
    public const string RequestsLimit = "0x80072322";
    public const string ExecutionTimeLimit = "0x80072321";
    public const string ConcurrencyLimit = "0x80072326";
    public const string DuplicateRecord = "0x80040237";
    public const string NotFound = "0x80040217";

    /// <summary>No record has the key values: a lookup's target (400), or a record addressed by alternate key (404).</summary>
    public const string NotFoundByKey = "0x80060891";

    /// <summary>SQL timeouts and deadlocks Dataverse reports with a 4xx/5xx but that succeed when retried.</summary>
    private static readonly HashSet<string> TransientCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "0x80044150", "0x80040265", "0x80044151",
    };

    public static ErrorKind Classify(DataverseError error)
    {
        if (error.Status == 429 || error.Code is RequestsLimit or ExecutionTimeLimit or ConcurrencyLimit)
        {
            return ErrorKind.Throttled;
        }

        // A 401 usually means an expired token: the client renews it and retries; failing to get one takes the principal out.
        if (error.Status is 0 or 401 or 408 || error.Status >= 500 || TransientCodes.Contains(error.Code))
        {
            return ErrorKind.Transient;
        }

        return error.Status switch
        {
            403 => ErrorKind.Authentication,
            404 when error.Code is not (NotFound or NotFoundByKey) => ErrorKind.Fatal,
            _ => ErrorKind.Data,
        };
    }
}
