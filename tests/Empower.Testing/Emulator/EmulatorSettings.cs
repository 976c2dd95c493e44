namespace Empower.Testing.Emulator;

/// <summary>
/// Emulator configuration profiles for tests: no cost delay and no limits unless a test asks for them, and HTTPS on any
/// free port — a test that pins the HTTP port (to restart "the same" organisation) must not also claim HTTP port + 1,
/// which another process may hold.
/// </summary>
public static class EmulatorSettings
{
    public static Dictionary<string, string?> Fast(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Emulator:Limits:Enabled"] = "false",
            ["Emulator:Cost:RequestOverheadMs"] = "0",
            ["Emulator:Cost:CreatePerRecordMs"] = "0",
            ["Emulator:Cost:UpdatePerRecordMs"] = "0",
            ["Emulator:Cost:DeletePerRecordMs"] = "0",
            ["Emulator:Cost:ReadPerRecordMs"] = "0",
            ["Emulator:Https:Port"] = "0",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }
}
