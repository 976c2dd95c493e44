using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Empower.Sync.Hosting;

/// <summary>
/// The one way settings are validated: an options class lists its problems, each naming its configuration key, and the
/// host fails at start-up with all of them at once.
/// </summary>
public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and checks it with <paramref name="problems"/> when the host
    /// starts.</summary>
    public static IServiceCollection AddValidatedOptions<TOptions>(this IServiceCollection services, IConfigurationSection section, Func<TOptions,
        IReadOnlyList<string>> problems)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new Validator<TOptions>(problems));
        return services;
    }

    private sealed class Validator<TOptions>(Func<TOptions, IReadOnlyList<string>> problems) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options) =>
            problems(options) is { Count: > 0 } found ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;
    }
}
