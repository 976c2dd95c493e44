namespace Empower.Sync.Pipeline.Stopping;

/// <summary>
/// A graceful stop of the runs in this process (the CLI on SIGINT/SIGTERM): once <see cref="Request"/> is called,
/// activities send no new batch (<see cref="Requested"/>), requests in flight get <see cref="Grace"/> to finish, and
/// then <see cref="Abandoned"/> cancels them. The Functions app never requests it: there an activity that a host
/// shutdown interrupts runs again on another instance.
/// </summary>
public sealed class RunStop : IDisposable
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _requested = new();
    private readonly CancellationTokenSource _abandoned = new();

    public CancellationToken Requested => _requested.Token;

    public CancellationToken Abandoned => _abandoned.Token;

    public bool IsRequested => _requested.IsCancellationRequested;

    public void Request()
    {
        if (!_requested.IsCancellationRequested)
        {
            _requested.Cancel();
            _abandoned.CancelAfter(Grace);
        }
    }

    public void Dispose()
    {
        _requested.Dispose();
        _abandoned.Dispose();
    }
}
