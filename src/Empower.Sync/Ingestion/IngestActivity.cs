using Empower.Sync.Dataverse;
using Empower.Sync.Lake.Storage;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Empower.Sync.Ingestion;

/// <summary>The work of an ingest orchestration: one run of <see cref="IngestRunner"/>, as <c>empower ingest</c> runs it.</summary>
public sealed class IngestActivity(DataverseClient dataverse, IOptions<LakeConnectionOptions> lake, TimeProvider time) : TaskActivity<IngestRunInput, IngestResult>
{
    public override Task<IngestResult> RunAsync(TaskActivityContext context, IngestRunInput input) => ExecuteAsync(input, CancellationToken.None);

    public Task<IngestResult> ExecuteAsync(IngestRunInput input, CancellationToken cancellationToken) =>
        new IngestRunner(dataverse, time).RunAsync(input.Job, new IngestTable(LakeStorageFactory.Create(input.Job.To.Path, lake.Value), time), input.RunId, cancellationToken);
}
