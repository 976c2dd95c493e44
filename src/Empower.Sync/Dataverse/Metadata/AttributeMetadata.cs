namespace Empower.Sync.Dataverse.Metadata;

/// <summary>A column of a Dataverse table, as far as writing to it matters.</summary>
public sealed record AttributeMetadata(
    string LogicalName,
    string AttributeType,
    string RequiredLevel,
    int? MaxLength,
    int? Precision,
    decimal? MinValue,
    decimal? MaxValue,
    string? DateTimeBehavior,
    IReadOnlyList<string> Targets,
    IReadOnlyList<ChoiceOption> Options,
    bool IsPrimaryId)
{
    public bool IsLookup => AttributeType is "Lookup" or "Customer" or "Owner";

    public bool IsChoice => AttributeType is "Picklist" or "State" or "Status" or "Virtual" && Options.Count > 0;
}

public sealed record ChoiceOption(int Value, string Label);
