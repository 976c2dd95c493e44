namespace Empower.Dataverse.Emulator.Throttling;

/// <summary>One principal's sliding window: admitted requests with the execution time each was charged, plus live counters.</summary>
internal sealed class PrincipalUsage
{
    public Queue<WindowEntry> Entries { get; } = new();
    public double ExecutionMs { get; set; }
    public int InFlight { get; set; }
    public DateTimeOffset ThrottledUntil { get; set; }
    public DateTimeOffset ThrottledAt { get; set; }
    public string LastCode { get; set; } = "";
    public string LastMessage { get; set; } = "";

    // Statistics (never reset by the window).
    public long Requests { get; set; }
    public long Throttled { get; set; }
    public Dictionary<string, long> ThrottledByCode { get; } = new(StringComparer.Ordinal);
    public long Violations { get; set; }
    public int PeakInFlight { get; set; }
    public double ChargedMs { get; set; }

    internal sealed class WindowEntry(DateTimeOffset at)
    {
        public DateTimeOffset At { get; } = at;
        public double CostMs { get; set; }
        public bool Expired { get; set; }
    }
}
