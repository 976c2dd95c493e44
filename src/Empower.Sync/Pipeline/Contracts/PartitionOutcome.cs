using Empower.Sync.Dataverse.Telemetry;

namespace Empower.Sync.Pipeline.Contracts;

/// <summary>A partition's totals once every deferral was resolved (written) or given up (failed), with its principals' usage over all tries.</summary>
public sealed record PartitionOutcome(
    int Partition, long Read, long Written, long Failed, long Superseded, long DeferredThenWritten, int Deferrals, IReadOnlyList<PrincipalUsage> Usage);
