using System.Diagnostics;
using Empower.InProcess;

namespace Empower.Testing.Azurite;

/// <summary>
/// Starts Azurite (pinned in package.json, installed by the test command with <c>npm ci</c>) on free loopback ports
/// with a temporary folder, and stops it afterwards.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    // Azurite's well-known development account (documented by Microsoft; not a secret).
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private Process? _process;
    private string? _location;

    public int BlobPort { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;";

    public async Task InitializeAsync()
    {
        string script = Path.Combine(RepositoryRoot.Path, "node_modules", "azurite", "dist", "src", "blob", "main.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script} is missing). Run 'npm ci' in {RepositoryRoot.Path} (the " +
                $"README's test command does).");
        }

        _location = Directory.CreateTempSubdirectory("empower-azurite-").FullName;

        // A free port can be taken by another test's server before Azurite binds it; then Azurite exits and we try another.
        for (int attempt = 1; ; attempt++)
        {
            BlobPort = StablePorts.Pick();
            string? failure = await StartAsync(script);
            if (failure is null)
            {
                return;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException($"Azurite did not start: {failure}");
            }
        }
    }

    /// <summary>Starts the blob service and waits for its "listens on" line; returns why it failed, or null.</summary>
    private async Task<string?> StartAsync(string script)
    {
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                script, "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--location", _location!,
                "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        // Generous: on a loaded 2-core machine, with every test project running at once, node can take long to start.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains("successfully listens on", StringComparison.Ordinal))
                {
                    return null;
                }
            }
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            return $"it did not listen on 127.0.0.1:{BlobPort} within 90 s";
        }

        await _process.WaitForExitAsync();
        return $"it exited with code {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}";
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (_location is not null)
        {
            Directory.Delete(_location, recursive: true);
        }
    }
}
