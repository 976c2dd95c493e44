namespace Empower.Sync.Dataverse.Configuration;

/// <summary>
/// How the target org compares alternate-key text, so the client groups rows into records as Dataverse will. Every Dataverse collation
/// ignores case; whether it ignores accents depends on the org's base language: English (1033) and most others are <c>_CI_AI</c>, some
/// (Finnish, Swedish, Romanian, Croatian, Slovak, Thai…) <c>_CI_AS</c> (https://learn.microsoft.com/power-platform/admin/language-collations).
/// </summary>
public enum KeyCollation
{
    /// <summary><c>_CI_AI</c>: <c>café-1</c> and <c>CAFE-1</c> are one record.</summary>
    AccentInsensitive,

    /// <summary><c>_CI_AS</c>: <c>café-1</c> and <c>cafe-1</c> are two records.</summary>
    AccentSensitive,
}
