using Empower.Dataverse.Emulator.Hosting;

namespace Empower.Testing.Emulator;

/// <summary>One emulator per test class (xUnit class fixture), fast profile; tests use distinct keys so they do not interfere.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public EmulatorServer Server { get; private set; } = null!;
    public EmulatorClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        Client = await EmulatorClient.ConnectAsync(Server);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
