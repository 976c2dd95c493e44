namespace Empower.Dataverse.Emulator.Schema;

public sealed record ChoiceOption(int Value, string Label);
