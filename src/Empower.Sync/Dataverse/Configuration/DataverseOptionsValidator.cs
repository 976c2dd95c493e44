using Microsoft.Extensions.Options;

namespace Empower.Sync.Dataverse.Configuration;

/// <summary>Start-up validation of <see cref="DataverseOptions"/>: every problem, each named by its configuration key.</summary>
public sealed class DataverseOptionsValidator : IValidateOptions<DataverseOptions>
{
    public ValidateOptionsResult Validate(string? name, DataverseOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
