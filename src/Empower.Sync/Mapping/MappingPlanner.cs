using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Errors;
using Empower.Sync.Dataverse.Metadata;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Suggestions;

namespace Empower.Sync.Mapping;

/// <summary>
/// Checks a job against its source table and the Dataverse metadata before anything is written, and reports every
/// problem at once — each naming the job, the column and the attribute, and the fix.
/// </summary>
internal static class MappingPlanner
{
    public static async Task<MappingPlan> PlanAsync(
        JobDefinition job, IReadOnlyList<LakeColumn> columns, Func<string, Task<EntityMetadata>> metadata, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        EntityMetadata target;
        try
        {
            target = await metadata(job.Target.Table);
        }
        catch (DataverseRequestException ex)
        {
            throw new JobConfigurationException(job.Name, [$"target.table '{job.Target.Table}': {ex.Message} Check the table's logical name (lower " +
                $"case, e.g. 'account')."]);
        }

        var maps = new List<AttributeMap>();
        foreach (var mapping in job.Columns)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var map = await ResolveAsync(job, mapping, columns, target, metadata, problems);
            if (map is not null)
            {
                maps.Add(map);
            }
        }

        var (keys, primaryId) = ResolveMatch(job, columns, target, maps, problems);
        if (job.Mode == JobMode.Insert)
        {
            var mapped = maps.Select(m => m.Attribute.LogicalName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var required in target.Attributes.Values.Where(a => a.RequiredLevel == "SystemRequired" && !a.IsPrimaryId
                && !mapped.Contains(a.LogicalName)))
            {
                problems.Add($"attribute '{required.LogicalName}' is required by Dataverse to create a '{target.LogicalName}' record but no column maps to " +
                    $"it; add a mapping or a constant.");
            }
        }

        var duplicates = maps.GroupBy(m => m.PayloadProperty, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1);
        problems.AddRange(duplicates.Select(d => $"attribute '{d.Key}' is mapped {d.Count()} times; map each attribute once."));
        return problems.Count == 0
            ? new MappingPlan(job, target, maps, keys, primaryId)
            : throw new JobConfigurationException(job.Name, problems);
    }

    private static async Task<AttributeMap?> ResolveAsync(
        JobDefinition job, ColumnMapping mapping, IReadOnlyList<LakeColumn> columns, EntityMetadata target,
        Func<string, Task<EntityMetadata>> metadata, List<string> problems)
    {
        LakeColumn? column = null;
        if (mapping.Source is { } source)
        {
            column = columns.FirstOrDefault(c => c.Name == source);
            if (column is null)
            {
                problems.Add($"column '{source}' is not in the source table{NearestName.Suggest(source, columns.Select(c => c.Name))}.");
                return null;
            }
        }

        JsonNode? constant = mapping.Constant is { } c ? JsonNode.Parse(c.GetRawText()) : null;
        string attributeName = mapping.Lookup?.Attribute ?? mapping.Attribute!;
        if (!target.Attributes.TryGetValue(attributeName, out var attribute))
        {
            problems.Add($"{mapping.Describe()} maps to '{attributeName}', which is not an attribute of " +
                $"'{target.LogicalName}'{NearestName.Suggest(attributeName, target.Attributes.Keys)}.");
            return null;
        }

        if (mapping.Lookup is { } lookup)
        {
            return await ResolveLookupAsync(mapping, column, constant, attribute, lookup, target, metadata, problems);
        }

        if (attribute.IsLookup)
        {
            problems.Add($"attribute '{attribute.LogicalName}' is a lookup: map it with \"lookup\": {{ \"attribute\": \"{attribute.LogicalName}\", " +
                $"\"table\": \"{attribute.Targets.FirstOrDefault()}\", \"key\": [\"<alternate key>\"] }}.");
            return null;
        }

        if (column is not null && !TypeCompatibility.Accepted(attribute.AttributeType).Contains(column.Type))
        {
            problems.Add($"column '{column.Name}' is a {column.TypeName} but attribute '{attribute.LogicalName}' is {attribute.AttributeType}; map a " +
                $"compatible column or convert it in Spark.");
            return null;
        }

        if (mapping.Choices is { } choices)
        {
            if (!attribute.IsChoice)
            {
                problems.Add($"{mapping.Describe()} has 'choices' but attribute '{attribute.LogicalName}' is {attribute.AttributeType}, not a choice.");
                return null;
            }

            var unknown = choices.Where(kv => attribute.Options.All(o => o.Value != kv.Value)).ToList();
            problems.AddRange(unknown.Select(kv =>
                $"choices maps '{kv.Key}' to {kv.Value}, which is not a value of '{attribute.LogicalName}' (values: " +
                    $"{string.Join(", ", attribute.Options.Select(o => $"{o.Value} = {o.Label}"))})."));
        }

        return new AttributeMap(column, constant, attribute, attribute.LogicalName, mapping.Choices);
    }

    private static async Task<AttributeMap?> ResolveLookupAsync(
        ColumnMapping mapping, LakeColumn? column, JsonNode? constant, AttributeMetadata attribute, LookupMapping lookup,
        EntityMetadata target, Func<string, Task<EntityMetadata>> metadata, List<string> problems)
    {
        var relationship = target.Lookups.FirstOrDefault(l =>
            string.Equals(l.Attribute, attribute.LogicalName, StringComparison.OrdinalIgnoreCase)
                && string.Equals(l.ReferencedEntity, lookup.Table, StringComparison.OrdinalIgnoreCase));
        if (!attribute.IsLookup || relationship is null)
        {
            problems.Add($"lookup '{attribute.LogicalName}' → '{lookup.Table}' is not a relationship of '{target.LogicalName}' (its lookups: " +
                $"{string.Join(", ", target.Lookups.Select(l => $"{l.Attribute} → {l.ReferencedEntity}"))}).");
            return null;
        }

        EntityMetadata related;
        try
        {
            related = await metadata(lookup.Table);
        }
        catch (DataverseRequestException ex)
        {
            problems.Add($"lookup table '{lookup.Table}': {ex.Message}");
            return null;
        }

        if (related.FindKey(lookup.Key) is null || lookup.Key.Count != 1)
        {
            problems.Add($"lookup '{attribute.LogicalName}' binds by [{string.Join(", ", lookup.Key)}], which is not a single-column alternate key of " +
                $"'{related.LogicalName}' (its keys: {string.Join("; ", related.Keys.Select(k => string.Join(", ", k.Attributes)))}).");
            return null;
        }

        return new AttributeMap(column, constant, attribute, $"{relationship.NavigationProperty}@odata.bind", null, related.EntitySetName, lookup.Key[0],
            related.PrimaryIdAttribute);
    }

    private static (IReadOnlyList<string>? Keys, LakeColumn? PrimaryId) ResolveMatch(
        JobDefinition job, IReadOnlyList<LakeColumn> columns, EntityMetadata target, List<AttributeMap> maps, List<string> problems)
    {
        var match = job.Match;
        IReadOnlyList<string>? keys = null;
        LakeColumn? primaryId = null;
        if (match?.Key is { Count: > 0 } key)
        {
            if (target.FindKey(key) is null)
            {
                problems.Add($"match.key [{string.Join(", ", key)}] is not an alternate key of '{target.LogicalName}' (its keys: " +
                    $"{string.Join("; ", target.Keys.Select(k => $"{k.LogicalName} = {string.Join(", ", k.Attributes)}"))}); create the key in " +
                    $"Dataverse or match on another.");
            }

            foreach (var attribute in key.Where(a => !maps.Any(m => string.Equals(m.Attribute.LogicalName, a, StringComparison.OrdinalIgnoreCase)
                && m.Column is not null)))
            {
                problems.Add($"match.key attribute '{attribute}' must be mapped from a source column, so every row carries its key.");
            }

            keys = key;
        }

        if (match?.PrimaryId is { } idColumn)
        {
            primaryId = columns.FirstOrDefault(c => c.Name == idColumn);
            if (primaryId is null)
            {
                problems.Add($"match.primaryId column '{idColumn}' is not in the source table{NearestName.Suggest(idColumn, columns.Select(c => c.Name))}.");
            }
            else if (primaryId.Type != LakeColumnType.String)
            {
                problems.Add($"match.primaryId column '{idColumn}' is a {primaryId.TypeName}; record ids are GUID text.");
            }
        }

        if (job.Mode == JobMode.Insert && keys is null && match?.PrimaryId is null)
        {
            problems.Add("mode 'insert' needs match.key (Empower derives each record's id from it, so retries never duplicate) or match.primaryId.");
        }

        return (keys, primaryId);
    }
}
