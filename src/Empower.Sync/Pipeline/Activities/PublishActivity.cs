using System.Text.Encodings.Web;
using System.Text.Json;
using Empower.Sync.Dataverse.Writing;
using Empower.Sync.FailedRows;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Partitioning;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Mapping;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Principals;
using Microsoft.DurableTask;

namespace Empower.Sync.Pipeline.Activities;

/// <summary>
/// Prepare + Publish for one partition: read its rows, map them (rows that do not convert fail with stage
/// <c>prepare</c>), keep the last row of each key, and write the rest over the principal pool. Rows Dataverse rejects
/// fail with stage <c>publish</c>; rows that could not be sent come back as deferred.
/// </summary>
public sealed class PublishActivity(JobRuntime runtime) : TaskActivity<PublishInput, PublishResult>
{
    /// <summary>Failed-row payloads and keys stay readable in Spark: no escaping of quotes or non-ASCII letters.</summary>
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A row's id within a partition: the item it belongs to and its position in that file.</summary>
    public static long RowId(int item, long rowIndex) => ((long)item << 40) | rowIndex;

    public override async Task<PublishResult> RunAsync(TaskActivityContext context, PublishInput input)
    {
        var job = input.Run.Job;
        PrincipalHints.Apply(runtime.Dataverse.Pool, input.Avoid);
        var table = await runtime.OpenTableAsync(job, input.Version, CancellationToken.None);
        var plan = await runtime.PlanMappingAsync(job, table, CancellationToken.None);
        var only = input.OnlyRows?.ToHashSet();
        var reader = new LakeTableReader(runtime.Source(job), table, runtime.ReadOptions(job));
        var mapper = new RowMapper(plan);
        var failed = new List<FailedRow>();
        var records = new Dictionary<string, (RecordToWrite Record, string File, long Row)>();
        long read = 0, superseded = 0;
        for (int item = 0; item < input.Partition.Items.Count; item++)
        {
            await foreach (var batch in reader.ReadAsync(new WorkPartition(input.Partition.Index, [input.Partition.Items[item]])))
            {
                int current = item;
                foreach (var mapped in mapper.Map(batch, r => RowId(current, batch.RowIndexes[r])).Select((m, r) => (Mapped: m, Row: r)))
                {
                    long id = RowId(current, batch.RowIndexes[mapped.Row]);
                    if (only is not null && !only.Contains(id))
                    {
                        continue;
                    }

                    read++;
                    if (mapped.Mapped.Failure is { } failure)
                    {
                        failed.Add(Failed(input, batch.File, failure.RowIndex, null, FailureStage.Prepare, null, $"{failure.Column} → {failure.Attribute}: {failure.Reason}", null));
                        continue;
                    }

                    var record = mapped.Mapped.Record!;
                    string key = KeyOf(plan, record);
                    if (records.Remove(key, out var earlier))
                    {
                        superseded++;
                        if (job.Duplicates == DuplicateHandling.Fail)
                        {
                            failed.Add(Failed(input, earlier.File, earlier.Row, key, FailureStage.Prepare, null, $"another row has the same key {key}", earlier.Record));
                            failed.Add(Failed(input, batch.File, batch.RowIndexes[mapped.Row], key, FailureStage.Prepare, null, $"another row has the same key {key}", record));
                            superseded--;
                            continue;
                        }
                    }

                    records[key] = (record, batch.File, batch.RowIndexes[mapped.Row]);
                }
            }
        }

        var deferred = new List<long>();
        DateTimeOffset? retryAt = null;
        long written = 0;
        if (input.GiveUp)
        {
            failed.AddRange(records.Values.Select(r => Failed(input, r.File, r.Row, KeyOf(plan, r.Record), FailureStage.Deferral, "0x80072322", "still throttled after the job's maxDeferrals deferrals", r.Record)));
        }
        else
        {
            foreach (var group in records.Values.GroupBy(r => plan.KeyAttributes is null || r.Record.Id is not null && job.Mode == JobMode.Upsert))
            {
                var request = new WriteRequest(plan.Target, job.Mode == JobMode.Insert ? WriteMode.Insert : WriteMode.Upsert, group.Key ? null : plan.KeyAttributes, job.BatchSize);
                var byId = group.ToDictionary(r => r.Record.RowId);
                var result = await runtime.Dataverse.Writer.WriteAsync(request, [.. group.Select(r => r.Record)]);
                foreach (var outcome in result.Records)
                {
                    var source = byId[outcome.RowId];
                    switch (outcome.Outcome)
                    {
                        case RecordOutcome.Written or RecordOutcome.AlreadyExisted:
                            written++;
                            break;
                        case RecordOutcome.Deferred:
                            deferred.Add(outcome.RowId);
                            retryAt = retryAt is null || outcome.RetryAt < retryAt ? outcome.RetryAt : retryAt;
                            break;
                        default:
                            failed.Add(Failed(input, source.File, source.Row, KeyOf(plan, source.Record), FailureStage.Publish, outcome.Error?.Code, outcome.Error?.Message ?? "", source.Record));
                            break;
                    }
                }
            }
        }

        await FailedRowStaging.WriteAsync(runtime.State(job), input.Run.RunId, input.Partition.Index, input.Attempt, failed, CancellationToken.None);
        return new PublishResult(read, written, failed.Count, superseded, deferred, retryAt, PrincipalHints.Resting(runtime.Dataverse.Pool, runtime.Time.GetUtcNow()));
    }

    private static string KeyOf(MappingPlan plan, RecordToWrite record) =>
        record.Id?.ToString("D") ?? string.Join("|", plan.KeyAttributes?.Select(k => record.Attributes[k]?.ToJsonString(Readable) ?? "null") ?? [record.RowId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    private FailedRow Failed(PublishInput input, string file, long row, string? key, FailureStage stage, string? code, string message, RecordToWrite? record) =>
        new(input.Run.RunId, input.Run.Job.Name, input.Run.Job.Target.Table, file, row, key, stage, code, message, input.Attempt + 1, null,
            runtime.Time.GetUtcNow(), record?.Attributes.ToJsonString(Readable));
}
