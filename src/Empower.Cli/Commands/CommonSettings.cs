using System.ComponentModel;
using Spectre.Console.Cli;

namespace Empower.Cli.Commands;

/// <summary>Options every command that runs the pipeline takes.</summary>
public class CommonSettings : CommandSettings
{
    [CommandOption("--verbose")]
    [Description("Show Empower's log events at Debug on standard error (Logging__LogLevel__Empower=Debug does the same).")]
    public bool Verbose { get; init; }
}
