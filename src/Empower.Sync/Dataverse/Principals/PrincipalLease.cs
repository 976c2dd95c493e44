namespace Empower.Sync.Dataverse.Principals;

/// <summary>A request slot on one principal; disposing it frees the slot and wakes waiting senders.</summary>
internal sealed class PrincipalLease(Principal principal, PrincipalPool pool) : IDisposable
{
    private int _released;

    public Principal Principal { get; } = principal;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            Principal.Release();
            pool.Signal();
        }
    }
}
