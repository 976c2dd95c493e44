using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Empower.Dataverse.Emulator.Options;

/// <summary>
/// Validates every section of <see cref="EmulatorOptions"/> (data annotations do not recurse into nested objects) and
/// names each failing setting by its configuration key, e.g. <c>Emulator:Limits:WindowSeconds</c>.
/// </summary>
public sealed class EmulatorOptionsValidator : IValidateOptions<EmulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, EmulatorOptions options)
    {
        var failures = new List<string>();
        Check(options, EmulatorOptions.SectionName, failures);
        Check(options.Limits, $"{EmulatorOptions.SectionName}:Limits", failures);
        Check(options.Cost, $"{EmulatorOptions.SectionName}:Cost", failures);
        Check(options.Faults, $"{EmulatorOptions.SectionName}:Faults", failures);
        Check(options.Https, $"{EmulatorOptions.SectionName}:Https", failures);
        Check(options.ChangeTracking, $"{EmulatorOptions.SectionName}:ChangeTracking", failures);
        for (int i = 0; i < options.Principals.Count; i++)
        {
            Check(options.Principals[i], $"{EmulatorOptions.SectionName}:Principals:{i}", failures);
        }

        double total = options.Faults.Rates().Sum(r => r.Rate);
        if (total > 1)
        {
            failures.Add($"{EmulatorOptions.SectionName}:Faults: the fault rates add up to {total}; at most one fault is drawn per request, so they " +
                $"must add up to 1 or less.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(object section, string prefix, List<string> failures)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true);
        failures.AddRange(results.Select(r => $"{prefix}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
    }
}
