using Empower.Sync.Lake.Partitioning;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Pipeline.Duplicates;
using Microsoft.DurableTask;

namespace Empower.Sync.Pipeline.Activities;

/// <summary>
/// Plan: open the table at its version, check the mapping against Dataverse, split the files into partitions, and find
/// the keys that more than one partition holds (so the last row of each key wins whatever the timing).
/// </summary>
public sealed class PlanActivity(JobRuntime runtime) : TaskActivity<SyncRunInput, SyncPlan>
{
    public override async Task<SyncPlan> RunAsync(TaskActivityContext context, SyncRunInput input)
    {
        var job = input.Job;
        var cancellationToken = CancellationToken.None;
        var table = await runtime.OpenTableAsync(job, null, cancellationToken);
        var mapping = await runtime.PlanMappingAsync(job, table, cancellationToken);
        var source = runtime.Source(job);
        var partitions = await WorkPartitioner.PlanAsync(source, table.Files, new PartitioningOptions { MaxRows = runtime.Options.PartitionMaxRows }, cancellationToken);
        var duplicates = await DuplicateKeyScan.ScanAsync(source, table, runtime.ReadOptions(job), mapping, partitions, cancellationToken);
        await duplicates.SaveAsync(runtime.State(job), input.RunId, cancellationToken);
        return new SyncPlan(table.Version, partitions, partitions.Sum(p => p.Rows), Math.Max(1, runtime.Options.Parallelism));
    }
}
