using System.ComponentModel.DataAnnotations;

namespace Empower.Sync.Lake;

/// <summary>How the lake reader interprets what the files leave open.</summary>
public sealed class LakeReadOptions
{
    /// <summary>
    /// The time zone in which the writer's Spark session wrote zone-less timestamp partition values
    /// (<c>spark.sql.session.timeZone</c>); an IANA id such as <c>UTC</c> or <c>America/Los_Angeles</c>. Default: UTC.
    /// </summary>
    [Required]
    public string PartitionTimeZone { get; set; } = "UTC";

    public TimeZoneInfo ResolveTimeZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(PartitionTimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"The setting PartitionTimeZone = '{PartitionTimeZone}' is not a known time zone id (use an IANA id such as 'UTC' " +
                $"or 'Europe/Paris').", ex);
        }
    }
}
