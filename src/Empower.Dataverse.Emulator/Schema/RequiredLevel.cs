namespace Empower.Dataverse.Emulator.Schema;

/// <summary>Dataverse's attribute required levels. Only <see cref="SystemRequired"/> is enforced by the server, as in a real org.</summary>
public enum RequiredLevel
{
    None,
    Recommended,
    ApplicationRequired,
    SystemRequired,
}
