using Empower.Sync.Lake.Partitioning;
using Empower.Sync.Pipeline.Contracts;
using Microsoft.DurableTask;

namespace Empower.Sync.Pipeline.Activities;

/// <summary>Plan: open the table at its version, check the mapping against Dataverse, split the files into partitions.</summary>
public sealed class PlanActivity(JobRuntime runtime) : TaskActivity<SyncRunInput, SyncPlan>
{
    public override async Task<SyncPlan> RunAsync(TaskActivityContext context, SyncRunInput input)
    {
        var job = input.Job;
        var table = await runtime.OpenTableAsync(job, null, CancellationToken.None);
        await runtime.PlanMappingAsync(job, table, CancellationToken.None);
        var partitions = await WorkPartitioner.PlanAsync(runtime.Source(job), table.Files, new PartitioningOptions { MaxRows = runtime.Options.PartitionMaxRows });
        return new SyncPlan(table.Version, partitions, partitions.Sum(p => p.Rows), Math.Max(1, runtime.Options.Parallelism));
    }
}
