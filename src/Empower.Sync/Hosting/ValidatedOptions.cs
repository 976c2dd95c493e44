using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Empower.Sync.Hosting;

/// <summary>
/// The one way settings are validated: an options class lists its problems (<see cref="IValidatedOptions"/>), each
/// naming its configuration key, and the host fails at start-up with all of them at once.
/// </summary>
public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and validates it when the host starts.</summary>
    public static IServiceCollection AddValidatedOptions<TOptions>(this IServiceCollection services, IConfigurationSection section)
        where TOptions : class, IValidatedOptions
    {
        services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, Validator<TOptions>>();
        return services;
    }

    /// <summary>
    /// Checks every option registered with <see cref="AddValidatedOptions"/> now — what a generic host does when it
    /// starts, for a service provider built without one (the CLI's commands).
    /// </summary>
    /// <exception cref="OptionsValidationException">With the problems of every section, when any has one.</exception>
    public static ServiceProvider ValidateNow(this ServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (AggregateException sections) when (sections.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // One failure per section would show only the first; the user fixes them all at once.
            var failures = sections.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
            throw new OptionsValidationException("Empower", typeof(IValidatedOptions), failures);
        }

        return services;
    }

    /// <summary>Binds and validates <typeparamref name="TOptions"/> outside dependency injection (commands that need one section).</summary>
    /// <exception cref="OptionsValidationException">With every problem found.</exception>
    public static TOptions Read<TOptions>(IConfigurationSection section)
        where TOptions : class, IValidatedOptions, new()
    {
        return Checked(section.Get<TOptions>() ?? new TOptions(), section.Path);
    }

    /// <summary>Returns <paramref name="options"/> when it has no problem; <paramref name="section"/> names it in the error.</summary>
    /// <exception cref="OptionsValidationException">With every problem found.</exception>
    public static TOptions Checked<TOptions>(TOptions options, string section)
        where TOptions : class, IValidatedOptions =>
        options.Validate() is { Count: > 0 } problems ? throw new OptionsValidationException(section, typeof(TOptions), problems) : options;

    private sealed class Validator<TOptions> : IValidateOptions<TOptions>
        where TOptions : class, IValidatedOptions
    {
        public ValidateOptionsResult Validate(string? name, TOptions options) =>
            options.Validate() is { Count: > 0 } found ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;
    }
}
