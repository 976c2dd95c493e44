namespace Empower.Sync.Dataverse.Principals;

/// <summary>Every configured principal failed (credentials or permissions); the message names each one and why.</summary>
internal sealed class NoUsablePrincipalException(string message) : Exception(message);
