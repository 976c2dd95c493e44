using System.Reflection;
using Empower.Cli.Commands;
using Empower.Cli.Runner;
using Spectre.Console;
using Spectre.Console.Cli;

bool json = args.Contains("--json", StringComparer.Ordinal);
// In a pipe or a CI log nobody reads the width of a terminal: tables keep every name and number whole.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 4096;
}

using var signals = StopSignals.Register();
var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("empower");
    config.SetApplicationVersion(typeof(SyncCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");
    // Every error of every command, and of parsing its arguments, gets its exit code in one place (never 255).
    config.SetExceptionHandler((error, _) => CliErrors.Report(error, json));
    config.AddCommand<DemoCommand>("demo")
        .WithDescription("Generate a sample lake and publish it into the built-in Dataverse emulator: no Azure, no configuration.")
        .WithExample("demo")
        .WithExample("demo", "--rows", "100000", "--chaos");
    config.AddCommand<EmulatorCommand>("emulator")
        .WithDescription("Run the local Dataverse Web API emulator (development only).")
        .WithExample("emulator", "--port", "5099");
    config.AddCommand<InitCommand>("init")
        .WithDescription("Propose a job from a table's columns and a Dataverse table's metadata: writes the job file, says why each column maps " +
            "and what is left to do.")
        .WithExample("init", "--source", "./exports/contacts", "--table", "contact", "--settings", "emulator.settings.json");
    config.AddCommand<ValidateCommand>("validate")
        .WithDescription("Check a job against its source table and Dataverse metadata; every problem at once.")
        .WithExample("validate", "--job", "jobs/contacts.json");
    config.AddCommand<SyncCommand>("sync")
        .WithDescription("Run a job in this process (same orchestrator as the Functions app), with progress and a summary.")
        .WithExample("sync", "--job", "jobs/contacts.json", "--settings", "empower.settings.json");
    config.AddCommand<IngestCommand>("ingest")
        .WithDescription("Run an ingest job once: a Dataverse table with change tracking into its Delta table (snapshot first, then changes).")
        .WithExample("ingest", "--job", "jobs/accounts-to-lake.json", "--settings", "emulator.settings.json");
    config.AddBranch("failed-rows", failed =>
    {
        failed.SetDescription("The rows a job could not publish: list them, or publish them again after a fix.");
        failed.AddCommand<FailedRowsListCommand>("list").WithExample("failed-rows", "list", "--job", "jobs/contacts.json", "--run", "20260101T020000Z");
        failed.AddCommand<FailedRowsReplayCommand>("replay").WithExample("failed-rows", "replay", "--job", "jobs/contacts.json", "--run", "20260101T020000Z");
    });
    config.AddCommand<InspectCommand>("inspect")
        .WithDescription("Show a Delta table's or Parquet folder's version, features, schema and row count.")
        .WithExample("inspect", "./exports/orders", "--rows", "5")
        .WithExample("inspect", "abfss://exports@contoso.dfs.core.windows.net/orders", "--version", "12", "--json");
});
return await app.RunAsync(args, signals.Token);
