using System.Diagnostics;
using System.Text.Json;
using Empower.Testing;
using Empower.Testing.Lake;

namespace Empower.Cli.Tests;

/// <summary>The README's install: the CLI packed as a .NET tool installs and runs as <c>empower</c> from any folder.</summary>
public sealed class ToolPackageTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task The_packed_tool_installs_and_runs_as_empower()
    {
        using var packages = TempTable.Empty();
        using var tools = TempTable.Empty();
        string project = Path.Combine(RepositoryRoot.Path, "src", "Empower.Cli");

        var pack = await RunAsync("dotnet", RepositoryRoot.Path, "pack", project, "-c", "Release", "--no-build", "-o", packages.Path);
        var install = await RunAsync("dotnet", tools.Path, "tool", "install", "--tool-path", tools.Path, "--add-source", packages.Path, "Empower.Cli");
        string empower = Path.Combine(tools.Path, "empower");
        var version = await RunAsync(empower, packages.Path, "--version");
        var inspect = await RunAsync(empower, packages.Path, "inspect", TestTables.DeltaPath("simple_table"), "--json");

        Assert.True(pack.ExitCode == 0, pack.Output);
        Assert.True(install.ExitCode == 0, install.Output);
        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith("0.1.0", version.Output.Trim(), StringComparison.Ordinal);
        Assert.Equal(0, inspect.ExitCode);
        Assert.Equal(4, JsonDocument.Parse(inspect.Output).RootElement.GetProperty("version").GetInt64());
    }
}
