using Empower.Sync.Hosting;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Empower.Sync.Tests.Hosting;

/// <summary>Every settings section is checked the same way, at start-up, and every problem is reported at once by its key.</summary>
public sealed class ValidatedOptionsTests
{
    private static IConfiguration Bad() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Empower:Dataverse:Url"] = "https://contoso.crm.dynamics.com/",
        ["Empower:Dataverse:TenantId"] = "t",
        ["Empower:Dataverse:Principals:0:ClientId"] = "c",
        ["Empower:Dataverse:Principals:0:ClientSecret"] = "s",
        ["Empower:Lake:Authentication"] = "ClientSecret",
        ["Empower:Lake:TenantId"] = "t",
        ["Empower:Pipeline:Parallelism"] = "0",
        ["Empower:Jobs:Location"] = " ",
    }).Build();

    private static readonly string[] Expected =
    [
        "Empower:Lake:ClientId is required when Empower:Lake:Authentication is ClientSecret.",
        "Empower:Lake:ClientSecret is required when Empower:Lake:Authentication is ClientSecret.",
        "Empower:Pipeline:Parallelism is 0: it must be at least 1.",
        "Empower:Jobs:Location is empty: set it to the folder or URL that holds the job files (one {job name}.json per job).",
    ];

    [Fact]
    public void A_service_provider_built_without_a_host_reports_every_section_s_problems_in_one_error()
    {
        var configuration = Bad();
        using var services = new ServiceCollection().AddEmpowerPipeline(configuration).AddEmpowerTriggers(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.ValidateNow());

        Assert.Equal(Expected.Order(), error.Failures.Order());
    }

    [Fact]
    public async Task A_generic_host_refuses_to_start_with_the_same_problems()
    {
        var configuration = Bad();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEmpowerPipeline(configuration).AddEmpowerTriggers(configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync());

        Assert.Equal(Expected.Order(), error.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).Order());
    }

    [Fact]
    public void One_section_read_outside_dependency_injection_is_checked_the_same_way()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            ValidatedOptions.Read<LakeConnectionOptions>(Bad().GetSection(LakeConnectionOptions.SectionName)));

        Assert.Equal(Expected[..2], error.Failures);
    }
}
