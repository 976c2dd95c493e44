using System.Collections.Concurrent;
using Empower.Sync.ChangeDetection;
using Empower.Sync.Dataverse;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Delta;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Lake;
using Empower.Sync.Mapping;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Stopping;
using Microsoft.Extensions.Options;

namespace Empower.Sync.Pipeline.Runtime;

/// <summary>
/// What the activities of a run open for a job: its source table (whole or its changes), its mapping, its state and
/// failed-rows folders, and its published state (read once per state version and kept while the process lives).
/// </summary>
public sealed class JobRuntime(DataverseClient dataverse, IOptions<LakeConnectionOptions> lake, IOptions<PipelineOptions> pipeline,
    TimeProvider time, RunStop stop)
{
    private readonly ConcurrentDictionary<string, (long? Version, Lazy<Task<PublishedState>> State)> _published = new(StringComparer.Ordinal);

    public DataverseClient Dataverse => dataverse;

    public TimeProvider Time => time;

    /// <summary>A graceful stop of this process's runs (the CLI's SIGINT/SIGTERM).</summary>
    public RunStop Stop => stop;

    public PipelineOptions Options => pipeline.Value;

    public ILakeStorage Source(JobDefinition job) => LakeStorageFactory.Create(job.Source.Path, lake.Value);

    public ILakeStorage State(JobDefinition job) => LakeStorageFactory.Create(StateLocation(job, pipeline.Value), lake.Value);

    /// <summary>The job's published-state table (change detection <c>lake-state</c>): <c>{state}/{job}/published_state</c>.</summary>
    public PublishedStateTable StateTable(JobDefinition job) =>
        new(LakeStorageFactory.Create(StateTableLocation(job, pipeline.Value), lake.Value), time, dataverse.KeyCollation);

    public static string StateTableLocation(JobDefinition job, PipelineOptions options) => Join(options.StateLocation, job.Name, "published_state");

    /// <summary>The job's state folder: <c>{state}/{job}</c> (runs, watermarks, published state).</summary>
    public static string StateLocation(JobDefinition job, PipelineOptions options) => Join(options.StateLocation, job.Name);

    /// <summary>The published state at <paramref name="version"/>; partitions of a run share one copy per process.</summary>
    internal Task<PublishedState> PublishedStateAsync(JobDefinition job, long? version, CancellationToken cancellationToken)
    {
        var table = StateTable(job);
        string location = table.Storage.Describe("");
        var entry = _published.AddOrUpdate(
            location,
            _ => (version, new Lazy<Task<PublishedState>>(() => table.LoadAsync(version, cancellationToken))),
            (_, existing) => existing.Version == version && !(existing.State.IsValueCreated && existing.State.Value.IsFaulted) ? existing
                : (version, new Lazy<Task<PublishedState>>(() => table.LoadAsync(version, cancellationToken))));
        return entry.State.Value;
    }

    public ILakeStorage FailedRows(JobDefinition job) => LakeStorageFactory.Create(FailedRowsLocation(job, pipeline.Value), lake.Value);

    /// <summary>The job's failed-rows table: its <c>failedRows.path</c>, else <c>{state}/{job}/failed_rows</c>.</summary>
    public static string FailedRowsLocation(JobDefinition job, PipelineOptions options) =>
        job.FailedRows?.Path ?? Join(options.StateLocation, job.Name, "failed_rows");

    public LakeReadOptions ReadOptions(JobDefinition job) => new() { PartitionTimeZone = job.Source.PartitionTimeZone };

    internal async Task<LakeTable> OpenTableAsync(JobDefinition job, long? version, CancellationToken cancellationToken)
    {
        try
        {
            var table = await LakeTableOpener.OpenAsync(Source(job), new TableRequest(version ?? job.Source.Version), cancellationToken);
            if (job.Source.Format == SourceFormat.Delta && table.Format != LakeSourceFormat.Delta)
            {
                throw new JobConfigurationException(job.Name, [$"source.path {job.Source.Path} is a Parquet folder, not a Delta table; set " +
                    $"source.format to \"parquet\"."]);
            }

            return table;
        }
        catch (LakeFormatException ex) when (ex.IsInputError)
        {
            throw new JobConfigurationException(job.Name, [$"source.path: {ex.Message}"]);
        }
    }

    /// <summary>The table a run reads: the version's files, or for a read of changes the files holding the changes since <see
    /// cref="ReadPlan.FromVersion"/>.</summary>
    internal async Task<LakeTable> OpenReadAsync(JobDefinition job, long? version, ReadPlan read, CancellationToken cancellationToken)
    {
        var table = await OpenTableAsync(job, version, cancellationToken);
        if (read.Mode == ReadMode.Full || table.Version is not { } to)
        {
            return table;
        }

        return ChangesOf(table, await (await DeltaTable.OpenAsync(Source(job), cancellationToken)).ChangesAsync(read.FromVersion!.Value,
            to, cancellationToken));
    }

    /// <summary>The version <paramref name="table"/> with the files holding <paramref name="changes"/> in place of its own.</summary>
    internal static LakeTable ChangesOf(LakeTable table, IReadOnlyList<DeltaVersionChanges> changes) =>
        table with { Files = DeltaTableSource.ChangeFiles(changes, table.Schema) };

    internal async Task<MappingPlan> PlanMappingAsync(JobDefinition job, LakeTable table, CancellationToken cancellationToken) =>
        await MappingPlanner.PlanAsync(job, table.Columns, t => dataverse.Metadata.GetAsync(t, cancellationToken), cancellationToken)
            with { KeyCollation = dataverse.KeyCollation };

    /// <summary>Opens the job's source at its configured version and maps its columns to the target, as a run's Plan would, without
    /// reading rows: what <c>empower check</c> reports.</summary>
    public async Task<SourceCheck> CheckSourceAsync(JobDefinition job, CancellationToken cancellationToken)
    {
        var table = await OpenTableAsync(job, null, cancellationToken);
        return new SourceCheck(table.Location, table.Version, table.Files.Count, await PlanMappingAsync(job, table, cancellationToken));
    }

    private static string Join(string root, params string[] parts) => string.Join("/", [root.TrimEnd('/', '\\'), .. parts]);
}
