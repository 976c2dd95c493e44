using Empower.Cli.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("empower");
    config.AddCommand<EmulatorCommand>("emulator")
        .WithDescription("Run the local Dataverse Web API emulator (development only).")
        .WithExample("emulator", "--port", "5099");
    config.AddCommand<InspectCommand>("inspect")
        .WithDescription("Show a Delta table's or Parquet folder's version, features, schema and row count.")
        .WithExample("inspect", "./exports/orders", "--rows", "5")
        .WithExample("inspect", "abfss://exports@contoso.dfs.core.windows.net/orders", "--version", "12", "--json");
});
return await app.RunAsync(args);
