using Microsoft.Extensions.Configuration;

namespace Empower.Cli.Runner;

/// <summary>
/// Settings for <c>empower sync</c> / <c>validate</c>: an optional JSON settings file (the <c>Empower</c> section, as
/// in local.settings.sample.json's <c>Values</c> or an appsettings file), then environment variables
/// (<c>Empower__Dataverse__Url</c>...), then values given in code.
/// </summary>
public static class CliConfiguration
{
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
