using System.Reflection;
using System.Text.RegularExpressions;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline.Runtime;
using Microsoft.Azure.Functions.Worker;

namespace Empower.Infra.Tests;

/// <summary>The settings the code binds, found by reflection over the options classes and the trigger attributes.</summary>
internal static partial class AppSettings
{
    /// <summary>Each options class and its configuration section.</summary>
    public static readonly (string Section, Type Type)[] OptionsClasses =
    [
        (DataverseOptions.SectionName, typeof(DataverseOptions)),
        (LakeConnectionOptions.SectionName, typeof(LakeConnectionOptions)),
        (PipelineOptions.SectionName, typeof(PipelineOptions)),
        (JobCatalogOptions.SectionName, typeof(JobCatalogOptions)),
    ];

    /// <summary>
    /// Settings that need no value in Azure, each for a stated reason: development-only endpoints, credentials the
    /// deployment does not use (managed identity instead of lake secrets; client secrets instead of certificates), and
    /// what the Functions app sets in code.
    /// </summary>
    public static readonly HashSet<string> OptionalInAzure = new(StringComparer.OrdinalIgnoreCase)
    {
        "Empower:Dataverse:AuthorityHost", "Empower:Dataverse:DevelopmentCertificateThumbprint",
        "Empower:Dataverse:Principals:0:TenantId", "Empower:Dataverse:Principals:0:CertificatePath",
        "Empower:Dataverse:Principals:0:CertificatePassword", "Empower:Dataverse:Principals:0:TokenFilePath",
        "Empower:Lake:ConnectionString", "Empower:Lake:TenantId", "Empower:Lake:ClientId", "Empower:Lake:ClientSecret",
        "Empower:Lake:ManagedIdentityClientId", "Empower:Lake:AuthorityHost",
    };

    /// <summary>Every key the options classes bind (<c>Principals</c> as its first element, <c>Principals:0:*</c>).</summary>
    public static IEnumerable<(string Key, PropertyInfo Property, object Defaults)> BoundKeys()
    {
        foreach (var (section, type) in OptionsClasses)
        {
            var defaults = Activator.CreateInstance(type)!;
            foreach (var property in Bindable(type))
            {
                if (property.PropertyType == typeof(List<PrincipalOptions>))
                {
                    foreach (var inner in Bindable(typeof(PrincipalOptions)))
                    {
                        yield return ($"{section}:{property.Name}:0:{inner.Name}", inner, new PrincipalOptions());
                    }
                }
                else
                {
                    yield return ($"{section}:{property.Name}", property, defaults);
                }
            }
        }
    }

    /// <summary>The <c>%Setting%</c> expressions and connection names of the Functions app's triggers.</summary>
    public static (IReadOnlyList<string> Expressions, IReadOnlyList<string> Connections) TriggerBindings()
    {
        var parameters = typeof(Empower.Functions.Syncs.DeltaCommitFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods()).SelectMany(m => m.GetParameters()).ToList();
        var texts = parameters.SelectMany(p => p.GetCustomAttributes<TimerTriggerAttribute>().Select(a => a.Schedule)
            .Concat(p.GetCustomAttributes<BlobTriggerAttribute>().Select(a => a.BlobPath))).ToList();
        var connections = parameters.SelectMany(p => p.GetCustomAttributes<BlobTriggerAttribute>().Select(a
            => a.Connection)).OfType<string>().Distinct().ToList();
        return ([.. texts.SelectMany(t => Percent().Matches(t).Select(m => m.Groups[1].Value)).Distinct()], connections);
    }

    /// <summary>The Empower app setting names in a compiled template, with <c>__</c> turned into <c>:</c> and a <c>{0}</c> index into 0.</summary>
    public static IReadOnlySet<string> EmpowerNamesIn(string templateText) =>
        SettingName().Matches(templateText).Select(m => KeyOf(m.Value.Replace("{0}", "0", StringComparison.Ordinal)))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The configuration key of an app setting name (<c>__</c> stands for <c>:</c>).</summary>
    public static string KeyOf(string appSetting) => appSetting.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>A key as <see cref="BoundKeys"/> names it: any principal's index read as the first's.</summary>
    public static string Normalize(string key) => PrincipalIndex().Replace(key, ":Principals:0:");

    private static IEnumerable<PropertyInfo> Bindable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true });

    [GeneratedRegex(@":Principals:\d+:", RegexOptions.IgnoreCase)]
    private static partial Regex PrincipalIndex();

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Percent();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])Empower__[A-Za-z0-9_{}]+")]
    private static partial Regex SettingName();
}
