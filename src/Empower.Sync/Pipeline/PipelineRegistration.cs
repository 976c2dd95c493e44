using Empower.Sync.Dataverse;
using Empower.Sync.Hosting;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline.Finalizing;
using Empower.Sync.Pipeline.Planning;
using Empower.Sync.Pipeline.Publishing;
using Empower.Sync.Pipeline.Running;
using Empower.Sync.Pipeline.Runtime;
using Empower.Sync.Pipeline.Starting;
using Empower.Sync.Pipeline.Stopping;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;

namespace Empower.Sync.Pipeline;

public static class PipelineRegistration
{
    /// <summary>The orchestrators and activities of a sync run, for any Durable Task worker (Functions or in-process).</summary>
    public static DurableTaskRegistry AddSyncTasks(this DurableTaskRegistry registry) => registry
        .AddOrchestrator<SyncRunOrchestrator>()
        .AddOrchestrator<PartitionOrchestrator>()
        .AddActivity<PlanActivity>()
        .AddActivity<PublishActivity>()
        .AddActivity<FinalizeActivity>();

    /// <summary>What the activities need: the Dataverse client, lake credentials, pipeline settings and the clock.</summary>
    public static IServiceCollection AddEmpowerPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEmpowerDataverse(configuration);
        services.AddValidatedOptions<LakeConnectionOptions>(configuration.GetSection(LakeConnectionOptions.SectionName));
        services.AddValidatedOptions<PipelineOptions>(configuration.GetSection(PipelineOptions.SectionName));
        services.AddSingleton(TimeProvider.System);
        services.TryAddSingleton<RunStop>();
        services.AddSingleton<JobRuntime>();
        return services;
    }

    /// <summary>The job catalog and the starter the HTTP, timer and blob triggers use.</summary>
    public static IServiceCollection AddEmpowerTriggers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<JobCatalogOptions>(configuration.GetSection(JobCatalogOptions.SectionName));
        services.AddSingleton<JobCatalog>();
        services.AddSingleton<SyncStarter>();
        return services;
    }
}
