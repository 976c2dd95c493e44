namespace Empower.Dataverse.Emulator.Schema;

/// <summary>The emulator's schema file is unusable; the message names the file, table and attribute.</summary>
public sealed class SchemaException : Exception
{
    public SchemaException(string message) : base(message) { }
    public SchemaException(string message, Exception inner) : base(message, inner) { }
}
