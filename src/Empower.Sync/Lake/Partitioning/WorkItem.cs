using Empower.Sync.Lake.Tables;

namespace Empower.Sync.Lake.Partitioning;

/// <summary>A file, or some of its row groups, to read. <see cref="Rows"/> counts physical rows (before deletion vectors).</summary>
public sealed record WorkItem(SourceFile File, IReadOnlyList<int>? RowGroups, long Rows, long Bytes);
