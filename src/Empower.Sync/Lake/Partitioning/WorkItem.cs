using Empower.Sync.Lake.Tables;

namespace Empower.Sync.Lake.Partitioning;

/// <summary>
/// A file, some of its row groups, or a range of rows of one row group, to read. <see cref="Rows"/> counts physical
/// rows (before deletion vectors). With <see cref="FirstRow"/> the item is the <see cref="Rows"/> rows from that
/// position in the file, all in the one row group <see cref="RowGroups"/> names: a row group larger than a partition
/// is split by rows.
/// </summary>
public sealed record WorkItem(SourceFile File, IReadOnlyList<int>? RowGroups, long Rows, long Bytes, long? FirstRow = null);
