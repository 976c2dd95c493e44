namespace Empower.Sync.Dataverse.Metadata;

/// <summary>A many-to-one relationship: the lookup column, the table it points at, and the navigation property to bind it.</summary>
public sealed record LookupMetadata(string Attribute, string ReferencedEntity, string NavigationProperty);
