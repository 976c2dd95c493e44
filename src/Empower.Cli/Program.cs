using Empower.Cli.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("empower");
    config.AddCommand<EmulatorCommand>("emulator")
        .WithDescription("Run the local Dataverse Web API emulator (development only).")
        .WithExample("emulator", "--port", "5099");
});
return await app.RunAsync(args);
