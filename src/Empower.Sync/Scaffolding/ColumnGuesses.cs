using Empower.Sync.Dataverse.Errors;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Mapping;

namespace Empower.Sync.Scaffolding;

/// <summary>A column that may fill an attribute, how strongly its name says so, and for a lookup the key it binds by.</summary>
internal sealed record Guess(LakeColumn Column, AttributeMetadata Attribute, int Rank, string Evidence, LookupBinding? Lookup, string? Refused);

/// <summary>A lookup bound by a single-column alternate key of the related table.</summary>
internal sealed record LookupBinding(string Table, string Key);

/// <summary>
/// Every plausible column → attribute pair, then one attribute per column and one column per attribute, strongest
/// evidence first. A pair whose types cannot meet is kept as <see cref="Guess.Refused"/> to explain a column left out.
/// </summary>
internal sealed class ColumnGuesses(EntityMetadata target, Func<string, Task<EntityMetadata>> metadata)
{
    /// <summary>A column named after a related table's key (<c>account_number</c> for a lookup to account) ranks below every name match.</summary>
    private const int RelatedKeyRank = 6;

    private readonly Dictionary<string, EntityMetadata?> _related = new(StringComparer.OrdinalIgnoreCase);

    public async Task<List<Guess>> AllAsync(IReadOnlyList<LakeColumn> columns)
    {
        var guesses = new List<Guess>();
        foreach (var column in columns)
        {
            foreach (var attribute in target.Attributes.Values)
            {
                if (NameEvidence.Of(column.Name, attribute.LogicalName) is { } evidence)
                {
                    guesses.Add(await JudgeAsync(column, attribute, evidence.Rank, evidence.Text));
                }
            }
        }

        guesses.AddRange(await RelatedKeyGuessesAsync(columns));
        return guesses;
    }

    /// <summary>The accepted guesses, one per column and per attribute, each with the equally good alternatives it beat.</summary>
    public static List<Guess> Choose(IReadOnlyList<Guess> guesses)
    {
        var chosen = new List<Guess>();
        var columns = new HashSet<string>(StringComparer.Ordinal);
        var attributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ordered = guesses.Where(g => g.Refused is null)
            .OrderBy(g => g.Rank).ThenBy(g => Math.Abs(g.Attribute.LogicalName.Length - g.Column.Name.Length)).ThenBy(g => g.Attribute.LogicalName,
                StringComparer.Ordinal);
        foreach (var guess in ordered)
        {
            if (columns.Contains(guess.Column.Name) || attributes.Contains(guess.Attribute.LogicalName))
            {
                continue;
            }

            columns.Add(guess.Column.Name);
            attributes.Add(guess.Attribute.LogicalName);
            var others = guesses.Where(g => g.Refused is null && g.Column == guess.Column && g.Rank == guess.Rank && g.Attribute != guess.Attribute)
                .Select(g => g.Attribute.LogicalName).ToList();
            chosen.Add(others.Count == 0 ? guess : guess with { Evidence = $"{guess.Evidence} (also possible: {string.Join(", ", others)})" });
        }

        return chosen;
    }

    private async Task<Guess> JudgeAsync(LakeColumn column, AttributeMetadata attribute, int rank, string evidence)
    {
        if (attribute.IsLookup)
        {
            var binding = await BindingAsync(attribute, column);
            return binding is null
                ? new Guess(column, attribute, rank, evidence, null,
                    $"'{attribute.LogicalName}' is a lookup to {string.Join(" or ", attribute.Targets.DefaultIfEmpty("another table"))}, which has no " +
                    $"single-column alternate key a {column.TypeName} column can fill; create one in Dataverse to bind by it")
                : new Guess(column, attribute, rank, $"{evidence}; a lookup to '{binding.Table}' bound by its alternate key '{binding.Key}'", binding, null);
        }

        return TypeCompatibility.Accepted(attribute.AttributeType).Contains(column.Type)
            ? new Guess(column, attribute, rank, evidence, null, null)
            : new Guess(column, attribute, rank, evidence, null,
                $"its name points at '{attribute.LogicalName}' ({evidence}), but a {column.TypeName} column cannot fill an attribute of type " +
                $"{attribute.AttributeType}");
    }

    private async Task<LookupBinding?> BindingAsync(AttributeMetadata attribute, LakeColumn column)
    {
        foreach (var relationship in target.Lookups.Where(l => string.Equals(l.Attribute, attribute.LogicalName, StringComparison.OrdinalIgnoreCase)))
        {
            if (await RelatedAsync(relationship.ReferencedEntity) is not { } related)
            {
                continue;
            }

            string? key = KeysOf(related).FirstOrDefault(k => TypeCompatibility.Accepted(related.Attributes[k].AttributeType).Contains(column.Type));
            if (key is not null)
            {
                return new LookupBinding(related.LogicalName, key);
            }
        }

        return null;
    }

    private async Task<List<Guess>> RelatedKeyGuessesAsync(IReadOnlyList<LakeColumn> columns)
    {
        var guesses = new List<Guess>();
        foreach (var relationship in target.Lookups)
        {
            string table = NameEvidence.Normal(relationship.ReferencedEntity);
            var named = columns.Where(c => NameEvidence.Normal(c.Name).Contains(table, StringComparison.Ordinal)).ToList();
            if (named.Count == 0 || !target.Attributes.TryGetValue(relationship.Attribute, out var attribute)
                || await RelatedAsync(relationship.ReferencedEntity) is not { } related)
            {
                continue;
            }

            foreach (string key in KeysOf(related))
            {
                foreach (var column in named.Where(c => NameEvidence.Normal(c.Name).EndsWith(NameEvidence.Normal(key), StringComparison.Ordinal)))
                {
                    string evidence = $"'{column.Name}' is named like '{key}', the alternate key of '{related.LogicalName}' that " +
                        $"'{attribute.LogicalName}' looks up";
                    guesses.Add(TypeCompatibility.Accepted(related.Attributes[key].AttributeType).Contains(column.Type)
                        ? new Guess(column, attribute, RelatedKeyRank, evidence, new LookupBinding(related.LogicalName, key), null)
                        : new Guess(column, attribute, RelatedKeyRank, evidence, null,
                            $"{evidence}, but a {column.TypeName} column cannot fill a key of type {related.Attributes[key].AttributeType}"));
                }
            }
        }

        return guesses;
    }

    private static IEnumerable<string> KeysOf(EntityMetadata table) =>
        table.Keys.Where(k => k.Attributes.Count == 1 && table.Attributes.ContainsKey(k.Attributes[0])).Select(k => k.Attributes[0]);

    /// <summary>A related table's metadata, or null when it cannot be read (its lookups are then left for a person).</summary>
    private async Task<EntityMetadata?> RelatedAsync(string table)
    {
        if (!_related.TryGetValue(table, out var related))
        {
            try
            {
                related = await metadata(table);
            }
            catch (DataverseRequestException)
            {
                related = null;
            }

            _related[table] = related;
        }

        return related;
    }
}
