namespace Empower.Dataverse.Emulator.Options;

/// <summary>
/// How the org compares text in keys, lookups by key and <c>$filter</c>. Every Dataverse collation ignores case (<c>_CI</c>); whether it
/// ignores accents depends on the org's base language: English (1033) and most others are <c>_CI_AI</c>, some (Finnish, Swedish,
/// Romanian, Croatian, Slovak, Thai…) <c>_CI_AS</c> (https://learn.microsoft.com/power-platform/admin/language-collations).
/// </summary>
public enum TextCollation
{
    /// <summary><c>_CI_AI</c>: <c>café-1</c> and <c>CAFE-1</c> are one key.</summary>
    AccentInsensitive,

    /// <summary><c>_CI_AS</c>: <c>café-1</c> and <c>cafe-1</c> are two keys; <c>café-1</c> and <c>CAFÉ-1</c> one.</summary>
    AccentSensitive,
}
