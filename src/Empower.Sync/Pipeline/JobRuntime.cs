using Empower.Sync.Dataverse;
using Empower.Sync.Jobs;
using Empower.Sync.Lake;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Mapping;
using Microsoft.Extensions.Options;

namespace Empower.Sync.Pipeline;

/// <summary>What the activities of a run open for a job: its source table, its mapping, and its state and failed-rows folders.</summary>
public sealed class JobRuntime(DataverseClient dataverse, IOptions<LakeConnectionOptions> lake, IOptions<PipelineOptions> pipeline, TimeProvider time)
{
    public DataverseClient Dataverse => dataverse;

    public TimeProvider Time => time;

    public PipelineOptions Options => pipeline.Value;

    public ILakeStorage Source(JobDefinition job) => LakeStorageFactory.Create(job.Source.Path, lake.Value);

    public ILakeStorage State(JobDefinition job) => LakeStorageFactory.Create(Join(pipeline.Value.StateLocation, job.Name), lake.Value);

    public ILakeStorage FailedRows(JobDefinition job) => LakeStorageFactory.Create(FailedRowsLocation(job, pipeline.Value), lake.Value);

    /// <summary>The job's failed-rows table: its <c>failedRows.path</c>, else <c>{state}/{job}/failed_rows</c>.</summary>
    public static string FailedRowsLocation(JobDefinition job, PipelineOptions options) =>
        job.FailedRows?.Path ?? Join(options.StateLocation, job.Name, "failed_rows");

    public LakeReadOptions ReadOptions(JobDefinition job) => new() { PartitionTimeZone = job.Source.PartitionTimeZone };

    public async Task<LakeTable> OpenTableAsync(JobDefinition job, long? version, CancellationToken cancellationToken)
    {
        try
        {
            var table = await LakeTableOpener.OpenAsync(Source(job), new TableRequest(version ?? job.Source.Version), cancellationToken);
            if (job.Source.Format == SourceFormat.Delta && table.Format != LakeSourceFormat.Delta)
            {
                throw new JobConfigurationException(job.Name, [$"source.path {job.Source.Path} is a Parquet folder, not a Delta table; set source.format to \"parquet\"."]);
            }

            return table;
        }
        catch (LakeFormatException ex)
        {
            throw new JobConfigurationException(job.Name, [$"source.path: {ex.Message}"]);
        }
    }

    public Task<MappingPlan> PlanMappingAsync(JobDefinition job, LakeTable table, CancellationToken cancellationToken) =>
        MappingPlanner.PlanAsync(job, table.Columns, t => dataverse.Metadata.GetAsync(t, cancellationToken), cancellationToken);

    private static string Join(string root, params string[] parts) => string.Join("/", [root.TrimEnd('/', '\\'), .. parts]);
}
