using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Empower.Cli.Commands;

/// <summary>Options shared by the commands that take a job file.</summary>
public class JobSettings : CommonSettings
{
    [CommandOption("--job <FILE>")]
    [Description("The job file (JSON; see docs/jobs.md).")]
    public string Job { get; init; } = "";

    [CommandOption("--settings <FILE>")]
    [Description("JSON file with the Empower section (Dataverse URL and principals, lake credentials, pipeline); environment variables such as " +
        "Empower__Dataverse__Url work too.")]
    public string? Settings { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Job) ? ValidationResult.Error("--job <FILE> is required.") : ValidationResult.Success();
}
