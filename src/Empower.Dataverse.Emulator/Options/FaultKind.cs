namespace Empower.Dataverse.Emulator.Options;

public enum FaultKind
{
    None,
    ServiceUnavailable,
    TransientError,
    ConnectionReset,
    SlowResponse,
    DropResponseAfterCommit,
}
