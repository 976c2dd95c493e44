namespace Empower.Sync.Dataverse.Metadata;

/// <summary>An alternate key: the columns whose values identify a record.</summary>
public sealed record AlternateKeyMetadata(string LogicalName, IReadOnlyList<string> Attributes);
