namespace Empower.Sync.Lake;

/// <summary>A lake table cannot be read or written as it is; <see cref="Kind"/> says why and the message names the file.</summary>
public class LakeFormatException(LakeErrorKind kind, string message, Exception? innerException = null) : Exception(message, innerException)
{
    public LakeErrorKind Kind { get; } = kind;

    /// <summary>The user's path or version is wrong (exit 2), rather than the table damaged or unsupported.</summary>
    public bool IsInputError => Kind is LakeErrorKind.TableNotFound or LakeErrorKind.NotADeltaTable or LakeErrorKind.VersionNotFound;
}
