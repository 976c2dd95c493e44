namespace Empower.Dataverse.Emulator.Schema;

public enum DateTimeBehavior
{
    UserLocal,
    DateOnly,
    TimeZoneIndependent,
}
