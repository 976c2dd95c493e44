namespace Empower.Dataverse.Emulator.Schema;

public sealed class AttributeDefinition
{
    public required string LogicalName { get; init; }
    public string? SchemaName { get; init; }
    public string? DisplayName { get; init; }
    public required AttributeType Type { get; init; }
    public RequiredLevel RequiredLevel { get; init; } = RequiredLevel.None;

    /// <summary>String and memo length limit.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Decimal places for decimal, money and double.</summary>
    public int? Precision { get; init; }

    public decimal? MinValue { get; init; }
    public decimal? MaxValue { get; init; }
    public DateTimeBehavior DateTimeBehavior { get; init; } = DateTimeBehavior.UserLocal;
    public IReadOnlyList<ChoiceOption> Options { get; init; } = [];

    /// <summary>Target table of a lookup.</summary>
    public string? Target { get; init; }

    /// <summary>Single-valued navigation property used in <c>nav@odata.bind</c>; defaults to the logical name.</summary>
    public string? NavigationProperty { get; init; }

    public bool IsPrimaryId { get; init; }
    public bool IsPrimaryName { get; init; }

    public string EffectiveSchemaName => SchemaName ?? LogicalName;
    public string EffectiveNavigationProperty => NavigationProperty ?? LogicalName;

    /// <summary>How the attribute is named in read payloads: lookups read back as <c>_x_value</c>.</summary>
    public string ReadName => Type == AttributeType.Lookup ? $"_{LogicalName}_value" : LogicalName;
}
