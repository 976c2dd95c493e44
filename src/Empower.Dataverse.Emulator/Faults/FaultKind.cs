namespace Empower.Dataverse.Emulator.Faults;

public enum FaultKind
{
    None,
    ServiceUnavailable,
    TransientError,
    ConnectionReset,
    SlowResponse,
    DropResponseAfterCommit,
}
