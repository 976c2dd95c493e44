using Empower.Sync.Dataverse;
using Empower.Sync.Lake.Storage;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Empower.Sync.Ingestion;

/// <summary>
/// The work of an ingest orchestration: one step of <see cref="IngestRunner"/>, the engine <c>empower ingest</c> runs,
/// handing throttling past the sender's wait back to the orchestration instead of waiting in the activity.
/// </summary>
public sealed class IngestActivity(DataverseClient dataverse, IOptions<LakeConnectionOptions> lake, TimeProvider time)
    : TaskActivity<IngestRunInput, IngestStep>
{
    public override Task<IngestStep> RunAsync(TaskActivityContext context, IngestRunInput input) => ExecuteAsync(input, CancellationToken.None);

    public Task<IngestStep> ExecuteAsync(IngestRunInput input, CancellationToken cancellationToken) =>
        new IngestRunner(dataverse, time).StepAsync(
            input.Job, new IngestTable(LakeStorageFactory.Create(input.Job.To.Path, lake.Value), time), input.RunId, input.Resume,
                deferToCaller: true, cancellationToken);
}
