using Microsoft.Extensions.Configuration;

namespace Empower.Cli.Runner;

/// <summary>
/// Settings for <c>empower sync</c> / <c>validate</c>: an optional JSON settings file (the <c>Empower</c> section, as
/// in local.settings.sample.json's <c>Values</c> or an appsettings file), then environment variables
/// (<c>Empower__Dataverse__Url</c>...), then values given in code.
/// </summary>
public static class CliConfiguration
{
    public const string StateLocationKey = "Empower:Pipeline:StateLocation";

    /// <summary>The default state folder, beside the job file: the same job means the same state wherever it runs from.</summary>
    public const string DefaultStateFolder = ".empower";

    /// <summary>
    /// Settings for a command on the job file <paramref name="jobFile"/>: the state location defaults to
    /// <c>.empower</c> beside the job file, and a relative one resolves against the job file's folder, like the
    /// job's own paths.
    /// </summary>
    public static IConfiguration ForJob(string? settingsFile, string jobFile)
    {
        var configuration = Build(settingsFile);
        string folder = Path.GetDirectoryName(Path.GetFullPath(jobFile))!;
        string state = Sync.Jobs.JobDefinitionLoader.Resolve(configuration[StateLocationKey] is { Length: > 0 } set ? set : DefaultStateFolder, folder);
        return Build(settingsFile, new Dictionary<string, string?> { [StateLocationKey] = state });
    }

    public static IConfiguration Build(string? settingsFile, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder();
        if (settingsFile is not null)
        {
            if (!File.Exists(settingsFile))
            {
                throw new FileNotFoundException($"The settings file {Path.GetFullPath(settingsFile)} does not exist.", settingsFile);
            }

            builder.AddJsonFile(Path.GetFullPath(settingsFile), optional: false);
        }

        builder.AddEnvironmentVariables();
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }
}
