namespace Empower.Dataverse.Emulator.Protocol;

/// <summary>
/// Dataverse error codes the emulator returns, as hexadecimal strings the way the Web API writes them in <c>error.code</c>.
/// See https://learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes.
/// </summary>
public static class ErrorCodes
{
    public const string ObjectDoesNotExist = "0x80040217";
    public const string DuplicateRecord = "0x80040237";
    public const string InvalidArgument = "0x80040203";
    public const string UnexpectedError = "0x80040216";
    public const string StringLengthTooLong = "0x80044331";
    public const string ValueOutOfRange = "0x8004431a";
    public const string GenericSqlError = "0x80044150";
    public const string PayloadError = "0x80048d19";
    public const string ResourceNotFound = "0x80060888";
    /// <summary>RecordNotFoundByEntityKey: no record has the key values — of a lookup's target (400) or of the addressed record (404).</summary>
    public const string RecordNotFoundByKey = "0x80060891";
    public const string ConcurrencyVersionMismatch = "0x80060882";
    public const string Unauthorized = "0x80072560";

    // Service protection: number of requests, combined execution time, concurrent requests.
    public const string ThrottlingRequests = "0x80072322";
    public const string ThrottlingExecutionTime = "0x80072321";
    public const string ThrottlingConcurrency = "0x80072326";
}
