namespace Empower.Sync.Lake.Storage;

/// <summary>A file the reader needs is not in the lake; the message names its full location.</summary>
public sealed class LakeFileNotFoundException(string location, Exception? inner = null)
    : FileNotFoundException($"Lake file '{location}' does not exist.", location, inner)
{
    public string Location { get; } = location;
}
