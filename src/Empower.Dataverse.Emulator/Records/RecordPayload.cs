namespace Empower.Dataverse.Emulator.Records;

/// <summary>A write payload converted to stored values; <see cref="ODataId"/> is the <c>@odata.id</c> of a bulk upsert target.</summary>
public sealed class RecordPayload
{
    public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);
    public Guid? Id { get; set; }
    public string? ODataId { get; set; }
}
