using Microsoft.Extensions.Options;

namespace Empower.Sync.Pipeline;

/// <summary>Start-up validation of <see cref="PipelineOptions"/>: every problem, each named by its configuration key.</summary>
public sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
