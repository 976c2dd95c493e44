namespace Empower.Dataverse.Emulator.Auth;

/// <summary>An authenticated application user; <see cref="UserId"/> is its systemuserid as WhoAmI returns it.</summary>
public sealed record EmulatorPrincipal(string ClientId, Guid UserId);
