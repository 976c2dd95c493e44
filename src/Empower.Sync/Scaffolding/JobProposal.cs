using Empower.Sync.Jobs;
namespace Empower.Sync.Scaffolding;

/// <summary>What <c>empower init</c> asks for: the source table, the target table, and how the job file is named and written.</summary>
/// <param name="SourcePath">The path as the job file holds it (relative to the job file's folder, or a URL).</param>
public sealed record ScaffoldRequest(string Name, string SourcePath, string Table, JobMode Mode);

/// <summary>
/// A proposed job and the evidence for it: the job file's text, each mapped column and why, what was left out and
/// why, and whether the job passes <c>validate</c>'s mapping check (<see cref="Problems"/> empty) or what it lacks.
/// </summary>
public sealed record JobProposal(
    string Json,
    string Location,
    int SampledRows,
    IReadOnlyList<ProposedColumn> Columns,
    string? Match,
    IReadOnlyList<UnmappedColumn> Unmapped,
    IReadOnlyList<RequiredAttribute> Required,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Problems)
{
    public bool Valid => Problems.Count == 0;
}

/// <summary>A column mapped to an attribute: <see cref="Kind"/> is <c>value</c>, <c>choice</c>, <c>lookup</c> or <c>primaryId</c>.</summary>
public sealed record ProposedColumn(string Column, string ColumnType, string Attribute, string AttributeType, string Kind, string Evidence);

public sealed record UnmappedColumn(string Column, string ColumnType, string Reason);

/// <summary>An attribute Dataverse or the table's maker requires that no column fills.</summary>
public sealed record RequiredAttribute(string Attribute, string AttributeType, string Level);
