using System.Diagnostics;

namespace Empower.Cli.Tests;

/// <summary>Runs the built <c>empower</c> command as a separate process, as users run it.</summary>
public static class CliRunner
{
    /// <summary>Longer than any command of the suite takes on a loaded 2-core machine; a hang fails with what the command printed.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunInAsync(environment, null, args);

    /// <summary>Runs the command in <paramref name="workingDirectory"/> (the test's own when null).</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunInAsync(IReadOnlyDictionary<string, string>? environment,
        string? workingDirectory, params string[] args)
    {
        using var process = Process.Start(StartInfo(environment, workingDirectory, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"empower {string.Join(" ", args)} did not end within {Timeout.TotalMinutes} min:\n{await output}{await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string>? environment, string? workingDirectory, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "empower.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "200";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => RunAsync(null, args);
}
