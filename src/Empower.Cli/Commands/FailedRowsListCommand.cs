using System.ComponentModel;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Empower.Cli.Runner;
using Empower.Sync.ChangeDetection;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.FailedRows;
using Empower.Sync.Hosting;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline.Reporting;
using Empower.Sync.Pipeline.Runtime;
using Microsoft.Extensions.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Empower.Cli.Commands;

/// <summary>
/// <c>empower failed-rows list --job FILE [--run ID] [--json] [--hide-resolved]</c>: the rows a job could not publish,
/// why, and which a later sync or replay has since written.
/// </summary>
public sealed class FailedRowsListCommand : AsyncCommand<FailedRowsListCommand.Settings>
{
    public sealed class Settings : JobSettings
    {
        [CommandOption("--run <ID>")]
        [Description("Only this run's failed rows.")]
        public string? Run { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object (location, rows) for scripts.")]
        public bool Json { get; init; }

        [CommandOption("--hide-resolved")]
        [Description("Leave out the rows a later sync or replay has since written (jobs with change detection lake-state).")]
        public bool HideResolved { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var job = await JobDefinitionLoader.LoadAsync(settings.Job, cancellationToken);
        var configuration = CliConfiguration.ForJob(settings.Settings, settings.Job);
        var table = Open(job, configuration);
        var rows = (await table.ReadAsync(settings.Run, cancellationToken))
            .OrderBy(r => r.RunId, StringComparer.Ordinal).ThenBy(r => r.SourceFile, StringComparer.Ordinal).ThenBy(r => r.RowIndex).ToList();
        string location = Location(job, configuration);
        if (rows.Count == 0 && settings.Run is { } run)
        {
            var (exists, message) = await NoRowsAsync(job, configuration, table, run, cancellationToken);
            if (!exists)
            {
                throw new ArgumentException(message);
            }
        }

        var resolution = await ResolutionAsync(job, configuration, cancellationToken);
        // A list, not a dictionary: rows of an unreadable file can be equal in every field (row −1, no key).
        var listed = rows.Select(r => (Row: r, ResolvedBy: resolution?.ResolvedBy(r))).ToList();
        int hidden = settings.HideResolved ? listed.RemoveAll(r => r.ResolvedBy is not null) : 0;
        if (settings.Json)
        {
            var json = new JsonObject
            {
                ["job"] = job.Name,
                ["location"] = location,
                ["resolutionKnown"] = resolution is not null,
                ["hiddenResolved"] = hidden,
                ["rows"] = new JsonArray([.. listed.Select(l => (JsonNode)new JsonObject
                {
                    ["runId"] = l.Row.RunId, ["stage"] = l.Row.Stage.ToString().ToLowerInvariant(), ["sourceFile"] = l.Row.SourceFile, ["row"] = l.Row.RowIndex,
                    ["key"] = KeyText(job, l.Row.RowKey), ["code"] = l.Row.ErrorCode, ["reason"] = l.Row.ErrorMessage, ["attempts"] = l.Row.Attempts,
                    ["principal"] = l.Row.Principal, ["failedAt"] = l.Row.FailedAt, ["resolvedBy"] = l.ResolvedBy,
                })]),
            };
            Console.Out.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true,
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return ExitCodes.Success;
        }

        Console.Out.WriteLine($"Failed rows of job {job.Name}{(settings.Run is null ? "" : $", run {settings.Run}")}, in {location}. Rows are numbered from " +
            $"0 in their file, as in the run report.");
        var view = new Table().AddColumns("Run", "Stage", "Source file", "Row", "Key", "Code", "Reason", "Since written by");
        foreach (var (row, resolvedBy) in listed)
        {
            view.AddRow(
                Markup.Escape(row.RunId), row.Stage.ToString().ToLowerInvariant(), Markup.Escape(row.SourceFile), row.RowIndex < 0 ? "?" : $"{row.RowIndex:N0}",
                Markup.Escape(KeyText(job, row.RowKey) ?? ""), Markup.Escape(row.ErrorCode ?? ""), Markup.Escape(row.ErrorMessage),
                    Markup.Escape(resolvedBy ?? ""));
        }

        if (listed.Count > 0)
        {
            AnsiConsole.Write(view);
        }

        int written = listed.Count(r => r.ResolvedBy is not null);
        Console.Out.WriteLine(resolution is null
            ? $"{Counted.Of(listed.Count, "failed row")}. Whether they were since written is not known: change detection " +
                $"'{JobDefinitionLoader.NameOf(job.ChangeDetection)}' keeps no published state."
            : hidden > 0 ? $"{Counted.Of(listed.Count, "failed row")} not written since; {hidden} since written, hidden (--hide-resolved)."
            : $"{Counted.Of(listed.Count, "failed row")}, {written} since written.");
        return ExitCodes.Success;
    }

    /// <summary>What the job's published state says was written since; null when the job keeps none (change detection other than lake-state).</summary>
    private static async Task<FailedRowResolution?> ResolutionAsync(JobDefinition job, IConfiguration configuration, CancellationToken cancellationToken)
    {
        if (job.ChangeDetection != ChangeDetectionMode.LakeState)
        {
            return null;
        }

        var (pipeline, lake) = Options(configuration);
        var state = new PublishedStateTable(LakeStorageFactory.Create(JobRuntime.StateTableLocation(job, pipeline), lake), TimeProvider.System,
            DataverseOptions.KeyCollationIn(configuration));
        return await FailedRowResolution.LoadAsync(state, cancellationToken);
    }

    public static FailedRowsTable Open(JobDefinition job, IConfiguration configuration)
    {
        var (pipeline, lake) = Options(configuration);
        return new FailedRowsTable(LakeStorageFactory.Create(JobRuntime.FailedRowsLocation(job, pipeline), lake), TimeProvider.System);
    }

    /// <summary>Why a run has no failed rows to show: it finished without any, or there is no such run (the runs that have some are listed).</summary>
    public static async Task<(bool RunExists, string Message)> NoRowsAsync(JobDefinition job, IConfiguration configuration, FailedRowsTable table,
        string run, CancellationToken cancellationToken)
    {
        var (pipeline, lake) = Options(configuration);
        var state = LakeStorageFactory.Create(JobRuntime.StateLocation(job, pipeline), lake);
        if (await state.ExistsAsync(RunReport.PathOf(run) + ".json", cancellationToken))
        {
            return (true, $"Run {run} of job {job.Name} has no failed rows.");
        }

        var runs = (await table.ReadAsync(cancellationToken: cancellationToken)).Select(r => r.RunId).Distinct().Order(StringComparer.Ordinal).ToList();
        return (false, $"There is no run {run} of job {job.Name} in {state.Describe("")} (no report at runs/{run}/report.json). " +
            (runs.Count == 0 ? "No run of this job has failed rows." : $"Runs with failed rows: {string.Join(", ", runs)}."));
    }

    /// <summary>
    /// A failed row's key as its author wrote the job: <c>empower_ordernumber=SO-00002, empower_linenumber=1</c> for an
    /// alternate key (the key is stored as JSON values joined by <c>|</c>), the record id as it is.
    /// </summary>
    public static string? KeyText(JobDefinition job, string? key)
    {
        if (key is null || job.Match?.Key is not { Count: > 0 } attributes)
        {
            return key;
        }

        var values = new List<string>();
        var bytes = Encoding.UTF8.GetBytes(key);
        int at = 0;
        while (at < bytes.Length)
        {
            var reader = new Utf8JsonReader(bytes.AsSpan(at), new JsonReaderOptions { AllowMultipleValues = true });
            try
            {
                reader.Read();
                values.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : Encoding.UTF8.GetString(reader.ValueSpan));
            }
            catch (JsonException)
            {
                return key;
            }

            at += (int)reader.BytesConsumed;
            if (at < bytes.Length && bytes[at] != (byte)'|')
            {
                return key;
            }

            at++;
        }

        return values.Count == attributes.Count ? string.Join(", ", attributes.Zip(values, (a, v) => $"{a}={v}")) : key;
    }

    private static string Location(JobDefinition job, IConfiguration configuration)
    {
        var (pipeline, lake) = Options(configuration);
        return LakeStorageFactory.Create(JobRuntime.FailedRowsLocation(job, pipeline), lake).Describe("");
    }

    /// <summary>The pipeline and lake settings the failed-rows commands locate the job's tables with.</summary>
    public static (PipelineOptions Pipeline, LakeConnectionOptions Lake) Options(IConfiguration configuration) =>
        (ValidatedOptions.Read<PipelineOptions>(configuration.GetSection(PipelineOptions.SectionName)),
         ValidatedOptions.Read<LakeConnectionOptions>(configuration.GetSection(LakeConnectionOptions.SectionName)));
}
