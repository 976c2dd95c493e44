using System.Diagnostics;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Testing;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>
/// The emulator driven by a client nobody here wrote: <c>dynamics-web-api</c> (npm, pinned in package.json) runs
/// <c>dynamics-web-api.mjs</c> beside this file, one check per operation a Dataverse integration uses. Every one must succeed, or
/// fail exactly as Dataverse documents (the script asserts the 412s).
/// </summary>
public sealed class DynamicsWebApiTests
{
    private static readonly string[] Operations =
    [
        "create", "create returning the representation", "retrieve by id", "retrieve by alternate key", "upsert by alternate key",
        "query with a filter and paging", "count", "CreateMultiple", "UpsertMultiple", "$batch change set with a $n reference",
        "$batch with continue-on-error", "attributes with a typed cast", "CSDL $metadata", "change tracking with a delta link",
        "delete with a stale ETag",
    ];

    [Fact]
    public async Task Every_operation_of_the_dynamics_web_api_script_answers_as_Dataverse_documents()
    {
        string script = Path.Combine(RepositoryRoot.Path, "tests", "Empower.Dataverse.Emulator.Tests", "Conformance", "dynamics-web-api.mjs");
        Assert.True(Directory.Exists(Path.Combine(RepositoryRoot.Path, "node_modules", "dynamics-web-api")),
            $"dynamics-web-api is not installed: run 'npm ci' in {RepositoryRoot.Path}.");
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(server.BaseAddress.ToString());
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await node.WaitForExitAsync(timeout.Token);

        var results = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var failed = results.Where(r => !(bool)r["ok"]!).Select(r => $"{r["operation"]}: {r["detail"]}").ToList();
        Assert.True(failed.Count == 0 && node.ExitCode == 0, $"exit {node.ExitCode}; failed: {string.Join("; ", failed)} {await errors}");
        Assert.Equal(Operations, results.Select(r => (string)r["operation"]!));
    }
}
