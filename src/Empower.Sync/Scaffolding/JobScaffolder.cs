using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Errors;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Inspection;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Lake;
using Empower.Sync.Mapping;

namespace Empower.Sync.Scaffolding;

/// <summary>
/// <c>empower init</c>: a job proposed from a source table's columns, a sample of its rows and the target's metadata —
/// names and types for attributes, the target's alternate keys for matching, labels for choices, related keys for
/// lookups — then checked as <c>validate</c> checks a job, so the proposal says whether it runs or what it lacks.
/// </summary>
public static class JobScaffolder
{
    /// <summary>Rows read to judge choices and keys: enough to see their values, quick on any table.</summary>
    public const int SampleSize = 500;

    public static async Task<JobProposal> ProposeAsync(
        ScaffoldRequest request, ILakeStorage source, string jobFolder, Func<string, Task<EntityMetadata>> metadata,
            CancellationToken cancellationToken = default)
    {
        var table = await LakeTableOpener.OpenAsync(source, new TableRequest(), cancellationToken);
        var sample = await TableInspector.PreviewAsync(source, table, SampleSize, new LakeReadOptions(), cancellationToken);
        EntityMetadata target;
        try
        {
            target = await metadata(request.Table);
        }
        catch (DataverseRequestException ex) when (ex.Error is { Status: 404 })
        {
            throw new JobConfigurationException(request.Name, [$"--table '{request.Table}': {ex.Message}"]);
        }

        var guesses = await new ColumnGuesses(target, metadata).AllAsync(table.Columns);
        var order = table.Columns.ToList();
        var chosen = ColumnGuesses.Choose(guesses).OrderBy(g => order.IndexOf(g.Column)).ToList();
        var proposed = new List<ProposedColumn>();
        var mappings = new List<JsonObject>();
        var notes = new List<string>();
        LakeColumn? primaryId = null;
        foreach (var guess in chosen)
        {
            var (column, attribute) = (guess.Column, guess.Attribute);
            if (attribute.IsPrimaryId)
            {
                primaryId = column;
                proposed.Add(Proposed(guess, "primaryId", $"{guess.Evidence}; holds the record ids, so rows match by id"));
            }
            else if (guess.Lookup is { } lookup)
            {
                mappings.Add(new JsonObject
                {
                    ["source"] = column.Name,
                    ["lookup"] = new JsonObject { ["attribute"] = attribute.LogicalName, ["table"] = lookup.Table, ["key"] = new JsonArray(lookup.Key) },
                });
                proposed.Add(Proposed(guess, "lookup", guess.Evidence));
            }
            else if (attribute.IsChoice)
            {
                var (choices, evidence, note) = ChoiceProposal.For(column.Name, attribute, sample.Select(r => r.GetValueOrDefault(column.Name)));
                var mapping = new JsonObject { ["source"] = column.Name, ["attribute"] = attribute.LogicalName };
                if (choices is not null)
                {
                    mapping["choices"] = new JsonObject(choices.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
                }

                mappings.Add(mapping);
                proposed.Add(Proposed(guess, "choice", $"{guess.Evidence}; {evidence}"));
                if (note is not null)
                {
                    notes.Add(note);
                }
            }
            else
            {
                mappings.Add(new JsonObject { ["source"] = column.Name, ["attribute"] = attribute.LogicalName });
                proposed.Add(Proposed(guess, "value", guess.Evidence));
            }
        }

        var (match, matchEvidence) = ProposeMatch(target, proposed, primaryId, sample, notes);
        string json = ProposedJobFile.Write(request, table.Format == LakeSourceFormat.Delta ? "delta" : "parquet", match, mappings);
        return new JobProposal(
            json,
            table.Location,
            sample.Count,
            proposed,
            matchEvidence,
            Unmapped(table.Columns, chosen, guesses, target),
            Required(target, proposed),
            notes,
            await ProblemsAsync(json, request, jobFolder, table.Columns, metadata, cancellationToken));
    }

    private static ProposedColumn Proposed(Guess guess, string kind, string evidence) =>
        new(guess.Column.Name, guess.Column.TypeName, guess.Attribute.LogicalName, guess.Attribute.AttributeType, kind, evidence);

    /// <summary>The smallest alternate key whose every attribute is mapped, else the primary id column, else the target's first key for a person to
    /// map.</summary>
    private static (JsonObject? Match, string? Evidence) ProposeMatch(
        EntityMetadata target, List<ProposedColumn> proposed, LakeColumn? primaryId, List<IReadOnlyDictionary<string, object?>> sample, List<string> notes)
    {
        var mapped = proposed.Where(p => p.Kind is "value" or "choice").ToDictionary(p => p.Attribute, p => p.Column, StringComparer.OrdinalIgnoreCase);
        var key = target.Keys.Where(k => k.Attributes.All(mapped.ContainsKey)).OrderBy(k => k.Attributes.Count).FirstOrDefault();
        var match = new JsonObject();
        string? evidence = null;
        if (key is not null)
        {
            var columns = key.Attributes.Select(a => mapped[a]).ToList();
            var keyed = sample.Where(r => columns.All(c => r.GetValueOrDefault(c) is not null)).ToList();
            int distinct = keyed.Select(r => string.Join("\u001f", columns.Select(c => r[c]))).Distinct(StringComparer.Ordinal).Count();
            int missing = sample.Count - keyed.Count;
            match["key"] = new JsonArray(key.Attributes.Select(a => (JsonNode?)a).ToArray());
            evidence = $"alternate key '{key.LogicalName}' ({string.Join(", ", key.Attributes)}): every attribute is mapped; {distinct} distinct values in " +
                $"{keyed.Count} sampled rows with a key";
            if (distinct < keyed.Count)
            {
                notes.Add($"the sample holds rows with the same key ({string.Join(", ", columns)}): in a run the last one read wins; set \"duplicates\": " +
                    $"\"fail\" to have them reported instead.");
            }

            if (missing > 0)
            {
                notes.Add($"{missing} of {sample.Count} sampled rows have no value in a key column ({string.Join(", ", columns)}); such rows fail (stage " +
                    $"prepare) until they get one.");
            }
        }

        if (primaryId is not null)
        {
            match["primaryId"] = primaryId.Name;
            evidence = evidence is null ? $"primary id column '{primaryId.Name}'" : $"{evidence}; primary id column '{primaryId.Name}' where a row has one";
        }

        if (match.Count > 0)
        {
            return (match, evidence);
        }

        if (target.Keys.Count == 0)
        {
            notes.Add($"'{target.LogicalName}' has no alternate key and no column holds its primary id ('{target.PrimaryIdAttribute}'): create an alternate " +
                $"key in Dataverse (docs/deployment.md), map its columns and add \"match\".");
            return (null, null);
        }

        var first = target.Keys[0];
        notes.Add($"no alternate key of '{target.LogicalName}' is fully mapped (its keys: " +
            $"{string.Join("; ", target.Keys.Select(k => $"{k.LogicalName} = {string.Join(", ", k.Attributes)}"))}); the job matches on " +
            $"'{first.LogicalName}': map a column to each of its attributes.");
        match["key"] = new JsonArray(first.Attributes.Select(a => (JsonNode?)a).ToArray());
        return (match, null);
    }

    private static List<UnmappedColumn> Unmapped(IReadOnlyList<LakeColumn> columns, List<Guess> chosen, List<Guess> guesses, EntityMetadata target) =>
        columns.Where(c => chosen.All(g => g.Column != c)).Select(c =>
        {
            var refused = guesses.Where(g => g.Column == c && g.Refused is not null).OrderBy(g => g.Rank).FirstOrDefault();
            var taken = guesses.Where(g => g.Column == c && g.Refused is null).OrderBy(g => g.Rank).FirstOrDefault();
            string reason = taken is not null
                ? $"it could fill '{taken.Attribute.LogicalName}' ({taken.Evidence}), but another column fills it on better evidence"
                : refused?.Refused ?? $"no attribute of '{target.LogicalName}' has a similar name; map it by hand (docs/jobs.md) or leave it out";
            return new UnmappedColumn(c.Name, c.TypeName, reason);
        }).ToList();

    /// <summary>Attributes the table requires that no column fills; Dataverse sets the owner and the state itself.</summary>
    private static List<RequiredAttribute> Required(EntityMetadata target, List<ProposedColumn> proposed) =>
        target.Attributes.Values
            .Where(a => a.RequiredLevel is "ApplicationRequired" or "SystemRequired" && !a.IsPrimaryId
                && a.AttributeType is not ("Owner" or "State" or "Status"))
            .Where(a => proposed.All(p => !string.Equals(p.Attribute, a.LogicalName, StringComparison.OrdinalIgnoreCase)))
            .Select(a => new RequiredAttribute(a.LogicalName, a.AttributeType, a.RequiredLevel))
            .ToList();

    /// <summary>What <c>validate</c> would say of the mapping: the job file read back as written, then planned against the metadata.</summary>
    private static async Task<IReadOnlyList<string>> ProblemsAsync(
        string json, ScaffoldRequest request, string jobFolder, IReadOnlyList<LakeColumn> columns, Func<string, Task<EntityMetadata>> metadata,
            CancellationToken cancellationToken)
    {
        try
        {
            var job = JobDefinitionLoader.Parse(json, request.Name, jobFolder);
            await MappingPlanner.PlanAsync(job, columns, metadata, cancellationToken);
            return [];
        }
        catch (JobConfigurationException ex)
        {
            return ex.Problems;
        }
    }
}
