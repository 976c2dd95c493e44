namespace Empower.Sync.Pipeline.Contracts;

/// <summary>
/// Why Finalize runs: the run finished (<see cref="Status"/> null: Finalize decides between succeeded and rows
/// failed), was cancelled or failed, with the error and the stage it stopped in (<c>plan</c>, <c>publish</c>).
/// </summary>
public sealed record RunEnd(string? Status = null, string? Error = null, string? Stage = null)
{
    public static readonly RunEnd Finished = new();
}
