using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Schema;
using Empower.Dataverse.Emulator.Store;

namespace Empower.Dataverse.Emulator.Records;

/// <summary>Finds a record by its primary id or by one of its alternate keys, as named in a URL key segment.</summary>
public sealed class RecordLocator
{
    public RecordLocator(TableDefinition table, KeySegment key)
    {
        Table = table;
        Id = key.Id;
        if (key.Id is not null)
        {
            KeyValues = new Dictionary<string, object?>();
            return;
        }

        var names = key.Values.Select(v => v.Key).ToList();
        if (names is [var only] && only == table.PrimaryIdAttribute)
        {
            Id = ValueCodec.FromLiteral(table, table.Attributes[only], key.Values[0].Value) is string id ? Guid.Parse(id) : null;
            KeyValues = new Dictionary<string, object?>();
            return;
        }

        Key = table.FindKey(names) ?? throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
            $"The key ({string.Join(", ", names)}) is not an alternate key of '{table.LogicalName}'. Its keys are: " +
                $"{(table.Keys.Count == 0 ? "none" : string.Join("; ", table.Keys.Select(k => $"{k.LogicalName} ({string.Join(", ", k.Attributes)})")))}.");
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, literal) in key.Values)
        {
            values[name] = ValueCodec.FromLiteral(table, table.FindAttribute(name)!, literal)
                ?? throw DataverseException.BadRequest(ErrorCodes.InvalidArgument, $"Key attribute '{name}' cannot be null.");
        }

        KeyValues = values;
    }

    public TableDefinition Table { get; }
    public Guid? Id { get; }
    public AlternateKeyDefinition? Key { get; }

    /// <summary>Alternate-key values in stored form (empty when located by id).</summary>
    public IReadOnlyDictionary<string, object?> KeyValues { get; }

    public Guid? Resolve(StoreSession session)
    {
        if (Id is { } id)
        {
            return session.FindVersion(Table, id) is null ? null : id;
        }

        return session.FindByKey(Table, Key!, Key!.Attributes.Select(a => KeyValues[a]).ToList());
    }

    public DataverseException NotFound(bool lookupTarget = false)
    {
        if (Id is { } id)
        {
            return DataverseException.NotFound(ErrorCodes.ObjectDoesNotExist, $"{Table.LogicalName} With Id = {id} Does Not Exist");
        }

        string described = string.Join(",", KeyValues.Select(k => $"{k.Key}:{k.Value}"));
        return new DataverseException(lookupTarget ? 400 : 404, ErrorCodes.RecordNotFoundByKey,
            $"A record with the specified key values does not exist in {Table.LogicalName} entity ({described}).");
    }
}
