using System.Globalization;

namespace Empower.Sync.Pipeline.Reporting;

/// <summary>A count with its noun in the right number, for messages people read: <c>1 partition</c>, <c>2 partitions</c>.</summary>
public static class Counted
{
    public static string Of(long count, string one, string? many = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? one : many ?? one + "s")}");
}
