using System.ComponentModel;
using System.Text.Encodings.Web;
using System.Text.Json;
using Empower.Cli.Runner;
using Empower.Sync.Dataverse;
using Empower.Sync.Scaffolding;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console.Cli;
using Spectre.Console;

namespace Empower.Cli.Commands;

/// <summary>
/// <c>empower init --source PATH --table NAME</c>: writes a job file whose mapping is proposed from the table's
/// columns and the target's metadata, prints the evidence for each guess and what is left to do, and exits 0 when
/// the job passes <c>validate</c>'s mapping check, 2 when it needs editing first (it is written either way).
/// </summary>
public sealed class InitCommand : AsyncCommand<InitCommand.Settings>
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public sealed class Settings : CommonSettings
    {
        [CommandOption("--source <PATH>")]
        [Description("The Delta table or Parquet folder to publish: a local folder or an abfss:// / https:// URL.")]
        public string Source { get; init; } = "";

        [CommandOption("--table <NAME>")]
        [Description("The Dataverse table's logical name, e.g. contact.")]
        public string Table { get; init; } = "";

        [CommandOption("--settings <FILE>")]
        [Description("JSON file with the Empower section (Dataverse URL and principals, lake credentials); environment variables work too.")]
        public string? SettingsFile { get; init; }

        [CommandOption("--name <JOB>")]
        [Description("The job's name (default: the source folder's name).")]
        public string? Name { get; init; }

        [CommandOption("--out <FILE>")]
        [Description("Where to write the job file (default: <name>.json in the current folder).")]
        public string? Out { get; init; }

        [CommandOption("--mode <MODE>")]
        [Description("upsert (default) or insert.")]
        [DefaultValue(JobMode.Upsert)]
        public JobMode Mode { get; init; } = JobMode.Upsert;

        [CommandOption("--force")]
        [Description("Replace the job file if it exists.")]
        public bool Force { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object (file, valid, columns, match, unmapped, required, notes, problems) for scripts.")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Source) ? ValidationResult.Error("--source <PATH> is required: the Delta table or Parquet folder to publish.")
            : string.IsNullOrWhiteSpace(Table) ? ValidationResult.Error("--table <NAME> is required: the Dataverse table's logical name, e.g. contact.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        bool local = !settings.Source.Contains("://", StringComparison.Ordinal);
        string source = local ? Path.GetFullPath(settings.Source) : settings.Source;
        string name = settings.Name ?? JobName(source);
        string file = Path.GetFullPath(settings.Out ?? $"{name}.json");
        if (File.Exists(file) && !settings.Force)
        {
            throw new ArgumentException($"The job file {file} exists; give --force to replace it, or --out another file.");
        }

        string folder = Path.GetDirectoryName(file)!;
        var configuration = CliConfiguration.Build(settings.SettingsFile);
        await using var telemetry = CliTelemetry.Start(configuration, settings.Verbose);
        await using var services = CliServices.Build(configuration, telemetry.Loggers);
        var dataverse = services.GetRequiredService<DataverseClient>();
        var storage = LakeStorageFactory.Create(source, services.GetRequiredService<IOptions<LakeConnectionOptions>>().Value);
        var request = new ScaffoldRequest(name, local ? Path.GetRelativePath(folder, source) : source, settings.Table, settings.Mode);
        var proposal = await JobScaffolder.ProposeAsync(request, storage, folder, t => dataverse.Metadata.GetAsync(t, cancellationToken), cancellationToken);

        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(file, proposal.Json, cancellationToken);
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { file, proposal.Valid, proposal.Location, proposal.SampledRows, proposal.Columns,
                proposal.Match, proposal.Unmapped, proposal.Required, proposal.Notes, proposal.Problems }, Json));
        }
        else
        {
            Render(proposal, file, settings);
        }

        return proposal.Valid ? ExitCodes.Success : ExitCodes.InvalidInput;
    }

    /// <summary>A job name from the table's folder.</summary>
    private static string JobName(string source) => JobNames.From(source.TrimEnd('/', '\\').Split('/', '\\').Last());

    private static void Render(JobProposal proposal, string file, Settings settings)
    {
        Console.Out.WriteLine($"Wrote {file}: {proposal.Columns.Count} of {proposal.Columns.Count + proposal.Unmapped.Count} columns of {proposal.Location} " +
            $"map to '{settings.Table}' (judged on {proposal.SampledRows} sampled rows).");
        if (proposal.Columns.Count > 0)
        {
            var table = new Table().AddColumns("Column", "Type", "Attribute", "Kind", "Evidence");
            foreach (var column in proposal.Columns)
            {
                table.AddRow(Markup.Escape(column.Column), Markup.Escape(column.ColumnType), Markup.Escape(column.Attribute), column.Kind,
                    Markup.Escape(column.Evidence));
            }

            AnsiConsole.Write(table);
        }

        Console.Out.WriteLine(proposal.Match is { } match ? $"Match: {match}." : "Match: none proposed (see the notes).");
        Section("Columns not mapped", proposal.Unmapped.Select(u => $"'{u.Column}' ({u.ColumnType}): {u.Reason}."));
        Section("Required attributes no column fills (add a mapping or a \"constant\")",
            proposal.Required.Select(r => $"'{r.Attribute}' ({r.AttributeType}, {r.Level})"));
        Section("Notes", proposal.Notes);
        if (proposal.Valid)
        {
            Console.Out.WriteLine($"The job passes validate's mapping check. Next: empower validate --job {Quote(file)}{SettingsArgument(settings)}, then " +
                $"empower sync with the same options.");
        }
        else
        {
            Section($"The job does not validate yet; edit {file}", proposal.Problems);
        }
    }

    private static void Section(string title, IEnumerable<string> lines)
    {
        var list = lines.ToList();
        if (list.Count == 0)
        {
            return;
        }

        // Plain lines, not the console renderer: reasons stay whole in a pipe or a CI log.
        Console.Out.WriteLine($"{title}:");
        foreach (string line in list)
        {
            Console.Out.WriteLine($"- {line}");
        }
    }

    private static string SettingsArgument(Settings settings) => settings.SettingsFile is { } file ? $" --settings {Quote(file)}" : "";

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
