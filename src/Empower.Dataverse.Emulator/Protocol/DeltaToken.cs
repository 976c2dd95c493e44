using System.Globalization;

namespace Empower.Dataverse.Emulator.Protocol;

/// <summary>
/// A change-tracking token as Dataverse spells it, <c>919042!08/22/2017 08:10:44</c>: the data version the changes
/// start after and when the token was issued (it expires after the retention period).
/// </summary>
public sealed record DeltaToken(long Version, DateTimeOffset IssuedAt)
{
    private const string TimeFormat = "MM/dd/yyyy HH:mm:ss";

    public override string ToString() =>
        $"{Version.ToString(CultureInfo.InvariantCulture)}!{IssuedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}";

    public static DeltaToken Parse(string text)
    {
        var parts = text.Split('!');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long version)
            && DateTime.TryParseExact(parts[1], TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var issued)
            ? new DeltaToken(version, new DateTimeOffset(issued, TimeSpan.Zero))
            : throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                $"The $deltatoken '{text}' is not a change tracking token this organization issued.");
    }
}
