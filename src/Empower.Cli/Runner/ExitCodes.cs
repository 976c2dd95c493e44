using Empower.Dataverse.Emulator.Schema;
using Empower.Sync.Jobs;
using Empower.Sync.Pipeline.Contracts;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake;
using Microsoft.Extensions.Options;
using Spectre.Console.Cli;

namespace Empower.Cli.Runner;

/// <summary>
/// What every command returns (README, "Exit codes"), and the one mapping from an error to its code: a problem with
/// the arguments, the job, the settings or a path the user gave is 2 (nothing was started); anything else that stops a
/// command — Dataverse, the token endpoint or the lake unreachable or refusing, a run that failed — is 3.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int RowsFailed = 1;
    public const int InvalidInput = 2;
    public const int RunFailed = 3;
    /// <summary>Stopped by SIGINT (Ctrl+C); SIGTERM gives <see cref="Terminated"/>.</summary>
    public const int Interrupted = 130;
    public const int Terminated = 143;

    /// <summary>A finished run: 0, 1 when rows failed, 130/143 when it was stopped by a signal.</summary>
    public static int Of(RunSummary summary) => summary.Status switch
    {
        RunStatus.Cancelled => StopSignals.ExitCode ?? Interrupted,
        RunStatus.RowsFailed => RowsFailed,
        RunStatus.Succeeded => Success,
        _ => RunFailed,
    };

    public static int Of(Exception error) => error switch
    {
        OperationCanceledException => StopSignals.ExitCode ?? Interrupted,
        // A data file the table's log names is missing: the lake is inconsistent, not the user's input.
        LakeFileNotFoundException => RunFailed,
        LakeFormatException lake => lake.IsInputError ? InvalidInput : RunFailed,
        CommandAppException or JobConfigurationException or OptionsValidationException or FileNotFoundException
            or DirectoryNotFoundException or ArgumentException or FormatException or SchemaException => InvalidInput,
        _ => RunFailed,
    };
}
