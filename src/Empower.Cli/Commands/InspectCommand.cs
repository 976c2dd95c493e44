using System.ComponentModel;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Empower.Cli.Runner;
using Empower.Sync.Hosting;
using Empower.Sync.Lake;
using Empower.Sync.Lake.Inspection;
using Empower.Sync.Lake.Rows;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Pipeline.Reporting;
using Microsoft.Extensions.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Empower.Cli.Commands;

/// <summary><c>empower inspect</c>: a Delta table's or Parquet folder's version, features, schema and row count; with <c>--verify</c>, whether every
/// file reads.</summary>
public sealed class InspectCommand : AsyncCommand<InspectCommand.Settings>
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<PATH>")]
        [Description("A local folder, abfss://container@account.dfs.core.windows.net/path or https://account.blob.core.windows.net/container/path.")]
        public string Path { get; init; } = "";

        [CommandOption("--version <N>")]
        [Description("Read the table as of this Delta version (default: the latest).")]
        public long? Version { get; init; }

        [CommandOption("--timestamp <TIME>")]
        [Description("Read the latest version committed at or before this time (ISO 8601, e.g. 2024-05-01T00:00:00Z).")]
        public string? Timestamp { get; init; }

        [CommandOption("--rows <N>")]
        [Description("Also show the first N rows.")]
        [DefaultValue(0)]
        public int Rows { get; init; }

        [CommandOption("--verify")]
        [Description("Also read every data file and deletion vector, as a sync would; exit 3 naming each file that cannot be read or whose rows " +
            "do not match the log.")]
        public bool Verify { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object (version, rowCount, fileCount, partitionColumns, columns, ...) for scripts.")]
        public bool Json { get; init; }

        [CommandOption("--partition-timezone <ZONE>")]
        [Description("Time zone the writer used for zone-less timestamp partition values (default UTC).")]
        public string PartitionTimeZone { get; init; } = "UTC";

        public override ValidationResult Validate()
        {
            if (Version is not null && Timestamp is not null)
            {
                return ValidationResult.Error("Give --version or --timestamp, not both.");
            }

            if (Timestamp is not null && !DateTimeOffset.TryParse(Timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            {
                return ValidationResult.Error($"--timestamp '{Timestamp}' is not a date and time; use ISO 8601 such as 2024-05-01T00:00:00Z.");
            }

            return Rows < 0 ? ValidationResult.Error("--rows must be 0 or more.") : ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // A single local Parquet file is inspected as a one-file table.
        bool singleFile = File.Exists(settings.Path);
        var storage = OpenStorage(singleFile ? System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(settings.Path))! : settings.Path);
        var request = new TableRequest(
            settings.Version,
            settings.Timestamp is null ? null : DateTimeOffset.Parse(settings.Timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            singleFile ? System.IO.Path.GetFileName(settings.Path) : null);
        var inspection = await TableInspector.InspectAsync(
            storage, request, settings.Rows, new LakeReadOptions { PartitionTimeZone = settings.PartitionTimeZone }, settings.Verify, cancellationToken);

        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(inspection with { Rows = inspection.Rows?.Select(JsonRow).ToList() }, Json));
        }
        else
        {
            Render(inspection);
        }

        return inspection.Verification is { Ok: false } ? ExitCodes.RunFailed : ExitCodes.Success;
    }

    /// <summary>Credentials for URLs come from environment variables such as <c>Empower__Lake__ConnectionString</c>.</summary>
    private static ILakeStorage OpenStorage(string path)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        return LakeStorageFactory.Create(path, ValidatedOptions.Read<LakeConnectionOptions>(configuration.GetSection(LakeConnectionOptions.SectionName)));
    }

    private static IReadOnlyDictionary<string, object?> JsonRow(IReadOnlyDictionary<string, object?> row) =>
        row.ToDictionary(kv => kv.Key, kv => kv.Value switch
        {
            string text when text.Length > 0 && text[0] is '[' or '{' => (object?)JsonNode.Parse(text),
            DateTime t => CellText.Timestamp(t),
            _ => kv.Value,
        });

    private static void Render(TableInspection inspection)
    {
        var summary = new Table().HideHeaders().AddColumns("", "");
        summary.AddRow("Location", Markup.Escape(inspection.Location));
        summary.AddRow("Format", inspection.Format);
        if (inspection.Version is { } version)
        {
            summary.AddRow("Version", $"{version}{(inspection.Timestamp is { } t ? $" (committed {t:u})" : "")}");
        }

        if (inspection.Protocol is { } protocol)
        {
            var features = protocol.ReaderFeatures.Concat(protocol.WriterFeatures).Distinct().ToList();
            summary.AddRow("Protocol", $"reader {protocol.MinReaderVersion} / writer " +
                $"{protocol.MinWriterVersion}{(features.Count > 0 ? $"; features: {string.Join(", ", features)}" : "")}");
            summary.AddRow("Column mapping", inspection.ColumnMappingMode);
            summary.AddRow("Change Data Feed", inspection.ChangeDataFeed ? "enabled" : "off");
        }

        summary.AddRow("Partition columns", inspection.PartitionColumns.Count == 0 ? "(none)" : Markup.Escape(string.Join(", ", inspection.PartitionColumns)));
        summary.AddRow("Active files", inspection.FileCount.ToString("N0", CultureInfo.InvariantCulture));
        if (inspection.FilesWithDeletionVectors > 0)
        {
            summary.AddRow("Deletion vectors", $"{Counted.Of(inspection.FilesWithDeletionVectors, "file")}, " +
                $"{Counted.Of(inspection.DeletedRows, "row")} deleted");
        }

        summary.AddRow("Rows", inspection.RowCount.ToString("N0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(new Panel(summary).Header("Table"));

        var schema = new Table().AddColumns("Column", "Type", "Nullable", "Partition");
        foreach (var column in inspection.Columns)
        {
            schema.AddRow(Markup.Escape(column.Name), Markup.Escape(column.Type), column.Nullable ? "yes" : "no", column.Partition ? "yes" : "");
        }

        AnsiConsole.Write(schema);
        if (inspection.Rows is { Count: > 0 } rows)
        {
            var preview = new Table();
            foreach (var column in inspection.Columns)
            {
                preview.AddColumn(Markup.Escape(column.Name));
            }

            foreach (var row in rows)
            {
                preview.AddRow(inspection.Columns.Select(c => Markup.Escape(Format(row[c.Name]))).ToArray());
            }

            AnsiConsole.Write(preview);
        }

        if (inspection.Verification is { } verification)
        {
            RenderVerification(verification);
        }
    }

    private static void RenderVerification(TableVerification verification)
    {
        if (verification.Ok)
        {
            AnsiConsole.MarkupLine($"[green]Verified:[/] {Counted.Of(verification.FilesRead, "file")} read, " +
                $"{Counted.Of(verification.RowsRead, "row")}, as the log says.");
            return;
        }

        AnsiConsole.MarkupLine($"[red]Verification failed:[/] {verification.Problems.Count:N0} of {Counted.Of(verification.FilesRead, "file")}. A sync " +
            $"records the rows of each as failed (stage read); fix the files, then sync with --full.");
        foreach (var problem in verification.Problems)
        {
            // Not through Spectre, which wraps at 80 columns when output is not a terminal: paths stay whole for grep.
            Console.Out.WriteLine($"- {problem.File} ({Counted.Of(problem.Rows, "row")}): {problem.Reason}");
        }
    }

    private static string Format(object? value) => value is null ? "null" : CellText.Format(value);
}
