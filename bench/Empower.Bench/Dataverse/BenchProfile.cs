using System.Globalization;

namespace Empower.Bench.Dataverse;

/// <summary>
/// The emulator's limits and cost for the client benchmark: Microsoft's per-user rates scaled to a 20-second window
/// (so a run reaches steady state quickly), and a server cost of 10 ms per request plus 1 ms per record.
/// </summary>
public static class BenchProfile
{
    public const int WindowSeconds = 20;
    public const int MaxRequests = 300;
    public const int MaxExecutionMs = 20_000;
    public const int MaxConcurrency = 52;
    public const double OverheadMs = 10;
    public const double PerRecordMs = 1;
    public const int RecordsPerRequest = 100;

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Emulator:Limits:Enabled"] = "true",
        ["Emulator:Limits:WindowSeconds"] = Text(WindowSeconds),
        ["Emulator:Limits:MaxRequests"] = Text(MaxRequests),
        ["Emulator:Limits:MaxExecutionMs"] = Text(MaxExecutionMs),
        ["Emulator:Limits:MaxConcurrency"] = Text(MaxConcurrency),
        ["Emulator:Cost:RequestOverheadMs"] = Text(OverheadMs),
        ["Emulator:Cost:CreatePerRecordMs"] = Text(PerRecordMs),
        ["Emulator:Cost:UpdatePerRecordMs"] = Text(PerRecordMs),
        ["Emulator:Cost:ReadPerRecordMs"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>
    /// Records per second one principal can sustain: the least of the request limit, the execution-time limit and the
    /// concurrency limit, for requests of <see cref="RecordsPerRequest"/> records (docs/emulator.md, "Service protection").
    /// </summary>
    public static double CeilingPerPrincipal()
    {
        double requestCost = OverheadMs + (RecordsPerRequest * PerRecordMs);
        double byRequests = (double)MaxRequests / WindowSeconds * RecordsPerRequest;
        double byExecution = (double)MaxExecutionMs / WindowSeconds / requestCost * RecordsPerRequest;
        double byConcurrency = MaxConcurrency * RecordsPerRequest / (requestCost / 1000);
        return Math.Min(byRequests, Math.Min(byExecution, byConcurrency));
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
