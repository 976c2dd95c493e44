using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Writing;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Rows;

namespace Empower.Sync.Mapping;

/// <summary>
/// Maps the rows of a batch to Web API records following a <see cref="MappingPlan"/>. Insert records get their
/// deterministic id from the key values; a row with a primary id column value is matched by that id.
/// </summary>
internal sealed class RowMapper(MappingPlan plan)
{
    private RowBatch? _batch;
    private (ColumnVector?[] Vectors, ColumnVector? Id) _vectors;

    public IEnumerable<MappedRow> Map(RowBatch batch, Func<int, long> rowId)
    {
        var (vectors, idVector) = Vectors(batch);
        for (int row = 0; row < batch.RowCount; row++)
        {
            yield return MapRow(batch, row, vectors, idVector, rowId(row));
        }
    }

    /// <summary>Maps one row of the batch; a mapper remembers the columns of the last batch, so rows are mapped one by one at no extra cost.</summary>
    public MappedRow Map(RowBatch batch, int row, long id)
    {
        if (!ReferenceEquals(batch, _batch))
        {
            _vectors = Vectors(batch);
            _batch = batch;
        }

        return MapRow(batch, row, _vectors.Vectors, _vectors.Id, id);
    }

    private (ColumnVector?[] Vectors, ColumnVector? Id) Vectors(RowBatch batch) =>
        (plan.Attributes.Select(a => a.Column is null ? null : batch[a.Column.Name]).ToArray(), plan.PrimaryIdColumn is null ? null
            : batch[plan.PrimaryIdColumn.Name]);

    private MappedRow MapRow(RowBatch batch, int row, ColumnVector?[] vectors, ColumnVector? idVector, long id)
    {
        var payload = new JsonObject();
        var keyValues = new List<string>();
        for (int i = 0; i < plan.Attributes.Count; i++)
        {
            var map = plan.Attributes[i];
            object? cell = vectors[i] is { } vector ? vector.GetValue(row) : null;
            bool isKey = plan.KeyAttributes?.Contains(map.Attribute.LogicalName, StringComparer.OrdinalIgnoreCase) == true;
            if (map.Constant is { } constant)
            {
                payload[map.PayloadProperty] = constant.DeepClone();
                continue;
            }

            if (isKey && cell is string text && string.IsNullOrWhiteSpace(text))
            {
                return Failed(batch, row, map, $"the key column holds {(text.Length == 0 ? "empty text" : "only white space")}, so the record cannot be " +
                    $"matched (Dataverse stores blank text as null)");
            }

            if (cell is null)
            {
                if (isKey)
                {
                    return Failed(batch, row, map, "the key column is empty, so the record cannot be matched");
                }

                if (plan.Job.Nulls == NullHandling.Clear)
                {
                    payload[map.PayloadProperty] = null;
                }

                continue;
            }

            var (value, error) = ValueConverter.Convert(cell, map);
            if (error is not null)
            {
                return Failed(batch, row, map, error);
            }

            payload[map.PayloadProperty] = value;
            if (isKey)
            {
                keyValues.Add(ValueConverter.Text(cell));
            }
        }

        Guid? recordId = null;
        if (idVector?.GetValue(row) is string idText)
        {
            if (!Guid.TryParse(idText, out var parsed))
            {
                return new MappedRow(null, new PrepareFailure(batch.File, batch.RowIndexes[row], plan.PrimaryIdColumn!.Name, plan.Target.PrimaryIdAttribute,
                    $"'{idText}' is not a record id (GUID)"));
            }

            recordId = parsed;
        }
        else if (plan.Job.Mode == JobMode.Insert && keyValues.Count > 0)
        {
            recordId = DeterministicId.For(plan.Target.LogicalName, [.. keyValues]);
        }

        return new MappedRow(new RecordToWrite(id, payload, recordId), null);
    }

    private static MappedRow Failed(RowBatch batch, int row, AttributeMap map, string reason) =>
        new(null, new PrepareFailure(batch.File, batch.RowIndexes[row], map.Column?.Name ?? "(constant)", map.Attribute.LogicalName, reason));
}
