namespace Empower.Dataverse.Emulator.Query;

/// <summary>The SQL pieces and paging of a collection read, translated from <c>$select</c>, <c>$filter</c>, <c>$orderby</c>, <c>$top</c>.</summary>
public sealed record CollectionQuery(
    IReadOnlyList<string>? Select,
    string Where,
    IReadOnlyList<object?> Parameters,
    string OrderBy,
    int? Top,
    int Offset,
    bool Count);
