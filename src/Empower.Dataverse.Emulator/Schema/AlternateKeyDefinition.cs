namespace Empower.Dataverse.Emulator.Schema;

public sealed record AlternateKeyDefinition(string LogicalName, IReadOnlyList<string> Attributes);
