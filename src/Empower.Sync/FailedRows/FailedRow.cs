namespace Empower.Sync.FailedRows;

/// <summary>One row that did not reach Dataverse, with everything needed to understand and replay it.</summary>
public sealed record FailedRow(
    string RunId,
    string Job,
    string Table,
    string SourceFile,
    long RowIndex,
    string? RowKey,
    FailureStage Stage,
    string? ErrorCode,
    string ErrorMessage,
    int Attempts,
    string? Principal,
    DateTimeOffset FailedAt,
    string? Payload);
