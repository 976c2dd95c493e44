using System.Globalization;
using Empower.Sync.Dataverse.Metadata;

namespace Empower.Sync.Scaffolding;

/// <summary>
/// How a column fills a choice, judged on sampled values: text that is a label needs nothing (the mapper matches
/// labels), text that begins exactly one label gets a <c>choices</c> map, and anything else is named in a note.
/// </summary>
internal static class ChoiceProposal
{
    public static (IReadOnlyDictionary<string, int>? Choices, string Evidence, string? Note) For(
        string column, AttributeMetadata attribute, IEnumerable<object?> sampled)
    {
        var values = sampled.Where(v => v is not null).Select(v => Convert.ToString(v,
            CultureInfo.InvariantCulture)!).Distinct(StringComparer.Ordinal).ToList();
        string options = string.Join(", ", attribute.Options.Select(o => $"{o.Value} = {o.Label}"));
        if (values.Count == 0)
        {
            return (null, "choice; no value sampled", null);
        }

        if (values.All(v => int.TryParse(v, CultureInfo.InvariantCulture, out _)))
        {
            var unknown = values.Where(v => attribute.Options.All(o => o.Value.ToString(CultureInfo.InvariantCulture) != v)).ToList();
            return (null, "choice by value", unknown.Count == 0 ? null
                : $"column '{column}' holds {Quoted(unknown)}, which are not values of '{attribute.LogicalName}' ({options}); those rows will fail until " +
                    $"the values are fixed.");
        }

        var byLabel = attribute.Options.GroupBy(o => o.Label, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Value,
            StringComparer.OrdinalIgnoreCase);
        if (values.All(byLabel.ContainsKey))
        {
            return (null, "choice; every sampled value is one of its labels", null);
        }

        var choices = new Dictionary<string, int>(StringComparer.Ordinal);
        var unmatched = new List<string>();
        foreach (string value in values)
        {
            var starts = attribute.Options.Where(o => o.Label.StartsWith(value, StringComparison.OrdinalIgnoreCase)).ToList();
            if (byLabel.TryGetValue(value, out int exact))
            {
                choices[value] = exact;
            }
            else if (starts.Count == 1)
            {
                choices[value] = starts[0].Value;
            }
            else
            {
                unmatched.Add(value);
            }
        }

        string? note = unmatched.Count == 0 ? null
            : $"column '{column}' holds {Quoted(unmatched)}, which match no label of '{attribute.LogicalName}' ({options}); add them to its \"choices\" " +
                $"or those rows will fail.";
        return (choices.Count > 0 ? choices : null, "choice; sampled values mapped to the labels they begin", note);
    }

    private static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Take(10).Select(v => $"'{v}'"));
}
