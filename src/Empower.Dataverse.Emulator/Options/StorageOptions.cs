namespace Empower.Dataverse.Emulator.Options;

/// <summary>Where records live: a SQLite file, or (empty path) a private in-memory database.</summary>
public sealed class StorageOptions
{
    public string? Path { get; set; }
}
