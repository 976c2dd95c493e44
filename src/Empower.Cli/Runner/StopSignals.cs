using System.Runtime.InteropServices;

namespace Empower.Cli.Runner;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM: the first cancels <see cref="Token"/> — commands stop, and a sync stops gracefully
/// (no new batch, requests in flight finish, the report says <c>cancelled</c>) — and sets the exit code, 130 or 143;
/// a second one exits at once with that code.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _received;

    private StopSignals()
    {
    }

    /// <summary>130 after SIGINT, 143 after SIGTERM (128 + the signal's number, as shells report it); null before any.</summary>
    public static int? ExitCode { get; private set; }

    public CancellationToken Token => _stop.Token;

    public static StopSignals Register()
    {
        var signals = new StopSignals();
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, signals.Handle));
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, signals.Handle));
        return signals;
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        int code = context.Signal == PosixSignal.SIGTERM ? Runner.ExitCodes.Terminated : Runner.ExitCodes.Interrupted;
        if (Interlocked.Exchange(ref _received, 1) == 1)
        {
            Console.Error.WriteLine($"{context.Signal} again: exiting now.");
            Environment.Exit(code);
        }

        ExitCode = code;
        Console.Error.WriteLine($"{context.Signal}: stopping — no new batches; requests in flight get " +
            $"{Sync.Pipeline.Stopping.RunStop.Grace.TotalSeconds:N0} s, then the run's report is written. Send it again to exit at once.");
        _stop.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }
}
