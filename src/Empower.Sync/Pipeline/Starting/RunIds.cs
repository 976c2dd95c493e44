using System.Globalization;

namespace Empower.Sync.Pipeline.Starting;

/// <summary>Run ids: the UTC start time to the second (<c>20261126T155343Z</c>), so a job's runs sort in time order in its state folder.</summary>
public static class RunIds
{
    public static string At(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
