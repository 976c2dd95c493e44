using System.Reflection;
using Microsoft.Extensions.Options;

namespace Empower.Dataverse.Emulator.Options;

/// <summary>
/// Refuses <c>Emulator:*</c> keys no option reads (a misspelt <c>Emulator:Cost:CreateMsPerRecord</c> would otherwise be
/// ignored, and the emulator would run with the default). Every unknown key is named, with the keys its section has.
/// </summary>
public static class UnknownSettings
{
    public static void Check(IConfiguration configuration)
    {
        var section = configuration.GetSection(EmulatorOptions.SectionName);
        var problems = new List<string>();
        Walk(section, typeof(EmulatorOptions), problems);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(EmulatorOptions.SectionName, typeof(EmulatorOptions), problems);
        }
    }

    private static void Walk(IConfigurationSection section, Type type, List<string> problems)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToDictionary(p => p.Name,
            StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                problems.Add($"{child.Path} is not an emulator setting; {section.Path} has " +
                    $"{string.Join(", ", properties.Keys.Select(k => $"{section.Path}:{k}"))}.");
                continue;
            }

            var shape = property.PropertyType;
            if (shape.IsGenericType && shape.GetGenericTypeDefinition() == typeof(List<>))
            {
                foreach (var item in child.GetChildren())
                {
                    Walk(item, shape.GetGenericArguments()[0], problems);
                }
            }
            else if (shape.IsClass && shape != typeof(string))
            {
                Walk(child, shape, problems);
            }
        }
    }
}
