using System.Collections.Concurrent;
using System.Diagnostics;

namespace Empower.Cli.Tests;

/// <summary>The built <c>empower</c> command running as a child process, to signal or kill while it works.</summary>
public sealed class CliProcess : IDisposable
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Task _output;
    private readonly Task _error;

    private CliProcess(Process process)
    {
        _process = process;
        _output = Pump(process.StandardOutput);
        _error = Pump(process.StandardError);
    }

    public string Output => string.Join("\n", _lines);

    public bool HasExited => _process.HasExited;

    public static CliProcess Start(IReadOnlyDictionary<string, string>? environment, string? workingDirectory, params string[] args) =>
        new(Process.Start(CliRunner.StartInfo(environment, workingDirectory, args))!);

    /// <summary>Waits until a line of standard output or error matches; false when the process ended first.</summary>
    public async Task<bool> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.Any(match))
            {
                return true;
            }

            if (_process.HasExited)
            {
                // What it printed last (the reason it ended) may still be in the pipes: read it before judging.
                await Task.WhenAll(_output, _error);
                return _lines.Any(match);
            }

            await Task.Delay(20);
        }

        return false;
    }

    public void Signal(int signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public void Kill9() => _process.Kill(entireProcessTree: true);

    /// <summary>Waits for the exit; returns the exit code and how long it took, or fails the test after <paramref name="timeout"/>.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> WaitForExitAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"empower did not exit within {timeout.TotalSeconds} s:\n{Output}");
        }

        await Task.WhenAll(_output, _error);
        return (_process.ExitCode, watch.Elapsed);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            _lines.Enqueue(line);
        }
    }
}
