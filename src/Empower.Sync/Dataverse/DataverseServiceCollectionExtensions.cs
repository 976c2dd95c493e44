using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Empower.Sync.Dataverse;

public static class DataverseServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>Empower:Dataverse</c>, validates it when the host starts (all problems at once, by key) and registers one
    /// <see cref="DataverseClient"/> for the environment.
    /// </summary>
    public static IServiceCollection AddEmpowerDataverse(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DataverseOptions>(configuration.GetSection(DataverseOptions.SectionName));
        services.AddSingleton(sp => DataverseClient.Create(
            sp.GetRequiredService<IOptions<DataverseOptions>>().Value,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILoggerFactory>()));
        return services;
    }
}
