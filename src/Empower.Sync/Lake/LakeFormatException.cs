namespace Empower.Sync.Lake;

/// <summary>A lake file is missing, truncated or not what it should be; the message names the file.</summary>
public class LakeFormatException(string message, Exception? innerException = null) : Exception(message, innerException);
